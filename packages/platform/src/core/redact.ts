/** A URL with any `user:password@` part masked, for logs and error messages. */
export function redactCredentials(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//***@');
}
