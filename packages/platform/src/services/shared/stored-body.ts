/**
 * A resource's body as the metadata store keeps it: plain JSON, with Dates as ISO text. Each
 * resource's `fromStored` turns it back into its typed body.
 */
export function toStoredBody(body: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}
