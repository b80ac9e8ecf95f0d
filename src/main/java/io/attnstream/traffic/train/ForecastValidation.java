package io.attnstream.traffic.train;

/**
 * One validation of the forecaster, in mph over all H steps of the validation windows' observed
 * targets, next to the last-value baseline on the same targets.
 */
record ForecastValidation(double rmse, double mae, double lastValueRmse) {}
