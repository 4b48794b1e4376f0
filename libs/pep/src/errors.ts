/** Options createPdpClient refuses (the message names the option). */
export class PepConfigError extends Error {
  override readonly name = 'PepConfigError';
}
