/*
 * The replay report's script: draws every div.chart of the page from the JSON in #report-data
 * (shaped as ChartData describes) with CanaryCharts (charts.js). A series chart shows baseline
 * and canary over time; an effect chart shows the effect look by look against the bands. Both
 * mark each look with a vertical line coloured by its verdict, the deciding look thicker.
 */
(function () {
  "use strict";
  var C = CanaryCharts;
  var EXPAND = 2; // uPlot.join: a null also hides the other side's times next to it
  var fixtures = JSON.parse(document.getElementById("report-data").textContent);

  /**
   * One side's points as a uPlot table, with a gap (a null point) where the recording skips
   * more than one and a half of its usual steps, so that the line breaks there.
   */
  function table(side) {
    var steps = side.t.slice(1).map(function (t, i) { return t - side.t[i]; }).sort(function (a, b) { return a - b; });
    var step = steps[Math.floor(steps.length / 2)], t = [], y = [];
    side.t.forEach(function (time, i) {
      if (i > 0 && time - side.t[i - 1] > 1.5 * step) {
        t.push(side.t[i - 1] + step);
        y.push(null);
      }
      t.push(time);
      y.push(side.y[i]);
    });
    return [t, y];
  }

  /** Baseline and canary over time: values, or a rate's errors / requests per interval. */
  function seriesChart(f, m, key) {
    var rate = m.type === "rate", fmt = C.formats(rate ? "rate" : "value", false);
    var opts = C.common(f, key);
    opts.title = rate ? "error rate per interval (errors / requests)" : "values over time";
    opts.series = [
      {label: "time (UTC)", value: "{YYYY}-{MM}-{DD} {HH}:{mm}"},
      {label: "baseline", stroke: C.colour("baseline"), width: 1.5, value: fmt.value},
      {label: "canary", stroke: C.colour("canary"), width: 2, value: fmt.value}
    ];
    opts.axes.push({label: rate ? "error rate" : m.name, values: fmt.ticks, size: 64});
    opts.hooks = {drawClear: [C.lookLines(f, false)], draw: [C.lookLabels(f), C.counted()]};
    return {opts: opts, data: uPlot.join([table(m.baseline), table(m.canary)], [[0, EXPAND], [0, EXPAND]])};
  }

  C.drawAll(function (el) {
    var f = fixtures[+el.dataset.fixture], m = f.metrics[+el.dataset.metric], key = "fixture" + el.dataset.fixture;
    return el.dataset.kind === "series" ? seriesChart(f, m, key) : C.effectChart(f, m, m.effects[+el.dataset.effect], key);
  });
})();
