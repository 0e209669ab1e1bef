// The SageMaker runtime's two invocation calls over plain HTTP on loopback, as the hosting
// benchmark sends them: Plinth takes unsigned requests when it has no access keys, and the bench
// package does not depend on @aws-sdk/client-sagemaker-runtime.

/** A body and its types, for InvokeEndpoint. */
export interface Invocation {
  readonly body: string;
  readonly contentType: string;
  readonly accept: string;
}

/** InvokeEndpoint; resolves with the answer's text, rejects on any status but 2xx. */
export async function invokeEndpoint(
  url: string,
  endpoint: string,
  invocation: Invocation,
): Promise<string> {
  const response = await fetch(`${url}/endpoints/${encodeURIComponent(endpoint)}/invocations`, {
    method: 'POST',
    headers: { 'content-type': invocation.contentType, accept: invocation.accept },
    body: invocation.body,
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`InvokeEndpoint ${endpoint} answered ${response.status}: ${text}`);
  return text;
}

/** What InvokeEndpointAsync answered: the request is queued, its answer will be at OutputLocation. */
export interface AcceptedAsync {
  readonly inferenceId: string;
  readonly outputLocation: string;
}

/** InvokeEndpointAsync for an input object already in Plinth's object store. */
export async function invokeEndpointAsync(
  url: string,
  request: {
    endpoint: string;
    inputLocation: string;
    inferenceId: string;
    contentType: string;
    accept: string;
  },
): Promise<AcceptedAsync> {
  const path = `/endpoints/${encodeURIComponent(request.endpoint)}/async-invocations`;
  const response = await fetch(url + path, {
    method: 'POST',
    headers: {
      'x-amzn-sagemaker-inputlocation': request.inputLocation,
      'x-amzn-sagemaker-inference-id': request.inferenceId,
      'x-amzn-sagemaker-content-type': request.contentType,
      'x-amzn-sagemaker-accept': request.accept,
    },
  });
  const text = await response.text();
  const outputLocation = response.headers.get('x-amzn-sagemaker-outputlocation');
  if (response.status !== 202 || !outputLocation)
    throw new Error(`InvokeEndpointAsync answered ${response.status}: ${text}`);
  return { inferenceId: (JSON.parse(text) as { InferenceId: string }).InferenceId, outputLocation };
}
