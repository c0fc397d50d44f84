export function generatorSteps(_registry) {}
