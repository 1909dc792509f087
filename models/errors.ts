/** An error about a model file or model input; `subject` names the file, field or node at fault. */
export class ModelError extends Error {
  constructor(
    message: string,
    readonly subject: string,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}
