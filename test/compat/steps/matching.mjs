export function matchingSteps(_registry) {}
