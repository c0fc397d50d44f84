export function messageSteps(_registry) {}
