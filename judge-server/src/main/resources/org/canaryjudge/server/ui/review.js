/*
 * The review page's script: draws each metric's effect chart (div.chart[data-metric]) from the JSON
 * in #report-data (shaped as RolloutCharts describes) with the shared CanaryCharts (report/charts.js),
 * and marks where each stage began with a labelled grey line.
 */
(function () {
  "use strict";
  var C = CanaryCharts;
  var rollout = JSON.parse(document.getElementById("report-data").textContent);
  var DPR = uPlot.pxRatio;

  /** A solid grey line at each stage's first look, its name at the bottom of the plot. */
  function stageLines(stages) {
    return function (u) {
      var ctx = u.ctx, b = u.bbox;
      ctx.save();
      ctx.strokeStyle = "#6b6b6b";
      ctx.fillStyle = "#3d3d3d";
      ctx.lineWidth = 1.5 * DPR;
      ctx.font = Math.round(11 * DPR) + "px system-ui, sans-serif";
      ctx.textBaseline = "bottom";
      stages.forEach(function (s) {
        var x = Math.round(u.valToPos(s.t, "x", true));
        ctx.beginPath();
        ctx.moveTo(x, b.top);
        ctx.lineTo(x, b.top + b.height);
        ctx.stroke();
        ctx.fillText(s.name === null ? "stage" : s.name, x + 3 * DPR, b.top + b.height - 2 * DPR);
      });
      ctx.restore();
    };
  }

  C.drawAll(function (el) {
    var m = rollout.metrics[+el.dataset.metric];
    var chart = C.effectChart(rollout, m, m.effects[0], "rollout");
    chart.opts.hooks.drawClear.push(stageLines(rollout.stages));
    return chart;
  });
})();
