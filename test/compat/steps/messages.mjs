// Steps for the message features (V3 message consumer and provider, V4 async and sync messages).
export function messageSteps(_registry) {}

export async function generateMessagePact(_world) {
  throw new Error('message pacts are not generated yet');
}
