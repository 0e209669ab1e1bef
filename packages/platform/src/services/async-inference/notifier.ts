/**
 * Where notifications of finished asynchronous inferences are published. SageMaker publishes to
 * SNS topics; Plinth has no SNS, so an adapter delivers a topic's messages some other way.
 */
export interface Notifier {
  /**
   * Publishes `message` to the topic; resolves true once delivered, false when it could not be
   * (after its own retries; the failure is logged). Never rejects.
   */
  publish(topicArn: string, message: Record<string, unknown>): Promise<boolean>;
}
