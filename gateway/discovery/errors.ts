/** A refusal the API turns into its status and message (the message never holds a password). */
export class DiscoveryError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 422 | 429 | 502 | 503 | 504,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
