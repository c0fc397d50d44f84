export function httpProviderSteps(_registry) {}
