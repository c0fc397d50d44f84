export function generalSteps(_registry) {}
