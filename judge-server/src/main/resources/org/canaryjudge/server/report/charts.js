/*
 * What the replay report and the review page share to chart effects with uPlot: look lines
 * coloured by verdict, band limits, and per look the estimate as a dot and the interval as a
 * whisker coloured by the metric's outcome (clipped whiskers end in an arrow). A page's chart
 * data is shaped as ChartData describes ("looks", "x", "decided", and per metric "effects").
 * drawAll draws every div.chart of the page; when every chart is drawn, body[data-rendered]
 * holds their number.
 */
var CanaryCharts = (function () {
  "use strict";
  var body = document.body;
  var css = getComputedStyle(document.documentElement);
  function colour(name) { return css.getPropertyValue("--" + name).trim() || "#888"; }
  var DPR = uPlot.pxRatio;
  var HEIGHT = 280;
  var LABEL_ROOM = 14 * DPR; // above the plot, for the look numbers
  var UNITS = {value: [1, ""], rate: [100, "%"], percent: [100, "%"], points: [100, "pt"]};
  var drawn = 0;

  function utc(ts) { return uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"); }
  function isNum(v) { return typeof v === "number"; }
  function min(a) { return Math.min.apply(null, a); }
  function max(a) { return Math.max.apply(null, a); }

  /**
   * Tick and legend formatters for values in a unit; signed ones show "+" on gains. With the
   * effects, the legend tells an unbounded interval end (null where the look has an effect).
   */
  function formats(unit, signed, effects) {
    var k = UNITS[unit][0], suffix = UNITS[unit][1];
    function text(x, digits, trim) {
      if (Math.abs(x) < Math.pow(10, -digits) / 2) { x = 0; }
      var s = x.toFixed(digits);
      return (signed && x > 0 ? "+" : "") + (trim ? String(parseFloat(s)) : s) + suffix;
    }
    return {
      ticks: function (u, splits, axis, space, incr) {
        var digits = Math.max(0, Math.min(8, -Math.floor(Math.log10(incr * k) + 1e-9)));
        return splits.map(function (v) { return text(v * k, digits); });
      },
      value: function (u, v, series, i) {
        if (v == null) {
          return effects && i != null && effects.has[i] ? ["", "n/a", "−∞", "+∞"][series] : "–";
        }
        var a = Math.abs(v * k);
        return text(v * k, a === 0 ? 0 : Math.max(0, Math.min(8, 2 - Math.floor(Math.log10(a)))), true);
      }
    };
  }

  /**
   * Vertical lines at the looks, coloured by verdict; the deciding look thicker, dense ones
   * fainter, and all of them faint behind an effect chart's whiskers.
   */
  function lookLines(f, faint) {
    return function (u) {
      var ctx = u.ctx, b = u.bbox, dense = b.width / f.looks.length < 12 * DPR;
      ctx.save();
      f.looks.forEach(function (l) {
        var x = Math.round(u.valToPos(l.t, "x", true)), decided = l.look === f.decided;
        ctx.globalAlpha = (decided ? 0.9 : dense ? 0.3 : 0.45) * (faint ? 0.4 : 1);
        ctx.strokeStyle = colour(l.verdict);
        ctx.lineWidth = (decided ? 3 : dense ? 1 : 1.5) * DPR;
        ctx.beginPath();
        ctx.moveTo(x, b.top);
        ctx.lineTo(x, b.top + b.height);
        ctx.stroke();
      });
      ctx.restore();
    };
  }

  /** Look numbers above the plot where there is room; the deciding look's always. */
  function lookLabels(f) {
    return function (u) {
      var ctx = u.ctx, b = u.bbox, gap = 22 * DPR, last = -Infinity;
      var at = function (l) { return Math.round(u.valToPos(l.t, "x", true)); };
      var decided = f.looks.filter(function (l) { return l.look === f.decided; }).map(at)[0];
      ctx.save();
      ctx.font = "600 " + Math.round(10 * DPR) + "px system-ui, sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      f.looks.forEach(function (l) {
        var x = at(l), label = String(l.look);
        if (l.look !== f.decided && (x - last < gap || Math.abs(decided - x) < gap)) { return; }
        ctx.fillStyle = colour(l.verdict);
        ctx.fillText(label, x, b.top - LABEL_ROOM + 2 * DPR);
        last = x;
      });
      ctx.restore();
    };
  }

  /** Time ticks in UTC, 24-hour, with the date under the first tick of each day. */
  function timeTicks(u, splits) {
    var day = null;
    return splits.map(function (ts) {
      var iso = new Date(ts * 1e3).toISOString(), time = iso.slice(11, ts % 60 === 0 ? 16 : 19);
      var label = iso.slice(0, 10) === day ? time : time + "\n" + iso.slice(0, 10);
      day = iso.slice(0, 10);
      return label;
    });
  }

  /** Dashed horizontal lines at the band limits, and a solid one at no effect. */
  function limitLines(limits) {
    return function (u) {
      var ctx = u.ctx, b = u.bbox, right = b.left + b.width;
      ctx.save();
      ctx.strokeStyle = "#bbb";
      ctx.lineWidth = DPR;
      var zero = Math.round(u.valToPos(0, "y", true));
      ctx.beginPath();
      ctx.moveTo(b.left, zero);
      ctx.lineTo(right, zero);
      ctx.stroke();
      ctx.lineWidth = 1.5 * DPR;
      ctx.setLineDash([6 * DPR, 4 * DPR]);
      limits.forEach(function (l) {
        var y = Math.round(u.valToPos(l.v, "y", true));
        ctx.strokeStyle = colour(l.band);
        ctx.beginPath();
        ctx.moveTo(b.left, y);
        ctx.lineTo(right, y);
        ctx.stroke();
      });
      ctx.restore();
    };
  }

  /** The band limits' labels, at the right end of their lines, over whatever is drawn there. */
  function limitLabels(limits, fmt) {
    return function (u) {
      var ctx = u.ctx, b = u.bbox, right = b.left + b.width - 4 * DPR, h = 14 * DPR;
      ctx.save();
      ctx.font = Math.round(11 * DPR) + "px system-ui, sans-serif";
      ctx.textAlign = "right";
      ctx.textBaseline = "middle";
      limits.forEach(function (l) {
        var y = Math.round(u.valToPos(l.v, "y", true)), text = l.band + " limit " + fmt(u, l.v);
        var mid = y - b.top > h + 2 * DPR ? y - h / 2 - DPR : y + h / 2 + 2 * DPR;
        var w = ctx.measureText(text).width + 6 * DPR;
        ctx.globalAlpha = 0.85;
        ctx.fillStyle = "#fff";
        ctx.fillRect(right - w + 3 * DPR, mid - h / 2, w, h);
        ctx.globalAlpha = 1;
        ctx.fillStyle = colour(l.band);
        ctx.fillText(text, right, mid);
      });
      ctx.restore();
    };
  }

  /** Per look: the interval as a whisker coloured by the outcome, the estimate as a dot. */
  function whiskers(e, xs, range) {
    return function (u) {
      var ctx = u.ctx, cap = 5 * DPR;
      ctx.save();
      xs.forEach(function (t, i) {
        if (!e.has[i]) { return; }
        var x = Math.round(u.valToPos(t, "x", true)), c = colour(e.outcome[i]);
        var lo = isNum(e.lower[i]) ? e.lower[i] : -Infinity, hi = isNum(e.upper[i]) ? e.upper[i] : Infinity;
        var yLo = u.valToPos(Math.min(Math.max(lo, range[0]), range[1]), "y", true);
        var yHi = u.valToPos(Math.max(Math.min(hi, range[1]), range[0]), "y", true);
        ctx.strokeStyle = ctx.fillStyle = c;
        ctx.lineWidth = 2 * DPR;
        ctx.beginPath();
        ctx.moveTo(x, yLo);
        ctx.lineTo(x, yHi);
        ctx.stroke();
        end(ctx, x, yLo, cap, lo < range[0] ? 1 : 0);
        end(ctx, x, yHi, cap, hi > range[1] ? -1 : 0);
        var est = e.estimate[i];
        if (isNum(est) && est >= range[0] && est <= range[1]) {
          ctx.beginPath();
          ctx.arc(x, u.valToPos(est, "y", true), 4 * DPR, 0, 2 * Math.PI);
          ctx.fillStyle = colour("estimate");
          ctx.fill();
        }
      });
      ctx.restore();
    };
  }

  /** A whisker's end: a cap, or an arrow (pointing down for 1, up for -1) where it is clipped. */
  function end(ctx, x, y, size, arrow) {
    ctx.beginPath();
    if (arrow === 0) {
      ctx.moveTo(x - size, y);
      ctx.lineTo(x + size, y);
      ctx.stroke();
      return;
    }
    ctx.moveTo(x - size, y - arrow * size * 1.6);
    ctx.lineTo(x, y);
    ctx.lineTo(x + size, y - arrow * size * 1.6);
    ctx.closePath();
    ctx.fill();
  }

  /**
   * The effect chart's y range: no effect, the band limits and the estimates, widened to
   * show the intervals but by at most that span again on each side.
   */
  function effectRange(e, limits) {
    var core = [0].concat(limits.map(function (l) { return l.v; }), e.estimate.filter(isNum));
    var lo = min(core), hi = max(core), span = hi - lo;
    var all = core.concat(e.lower.filter(isNum), e.upper.filter(isNum));
    var a = Math.max(min(all), lo - span), z = Math.min(max(all), hi + span), pad = (z - a) * 0.08;
    return [a - pad, z + pad];
  }

  /** The finite limits of an effect's bands: [{band: "hold" or "rollback", v}]. */
  function bandLimits(e) {
    var limits = [];
    ["hold", "rollback"].forEach(function (band) {
      (e[band] || []).filter(isNum).forEach(function (v) { limits.push({band: band, v: v}); });
    });
    return limits;
  }

  /** A draw hook that counts the chart as drawn the first time it runs. */
  function counted() {
    var done = false;
    return function () {
      if (!done) {
        done = true;
        drawn++;
        body.dataset.rendered = String(drawn);
      }
    };
  }

  /**
   * Options every chart of a fixture shares: a UTC time axis over the same range (a little
   * past the last look, so that its whisker shows whole), and a synced cursor.
   */
  function common(f, key) {
    var x = [f.x[0], f.x[1] + (f.x[1] - f.x[0]) * 0.015];
    return {
      tzDate: utc,
      padding: [LABEL_ROOM / DPR + 4, null, null, null],
      cursor: {sync: {key: key}},
      scales: {x: {time: true, range: function () { return x.slice(); }}},
      axes: [{values: timeTicks}]
    };
  }

  /**
   * One scale's effect, look by look; estimate, lower and upper are series only for the
   * legend and cursor, the whiskers draw them.
   */
  function effectChart(f, m, e, key) {
    var xs = f.looks.map(function (l) { return l.t; });
    var fmt = formats(e.unit, true, e), limits = bandLimits(e), range = effectRange(e, limits);
    var hidden = {paths: function () { return null; }, points: {show: false}, value: fmt.value};
    var opts = common(f, key);
    opts.title = "effect on the " + e.scale + " scale, look by look";
    opts.scales.y = {range: function () { return range.slice(); }};
    opts.series = [
      {label: "look at (UTC)", value: "{YYYY}-{MM}-{DD} {HH}:{mm}"},
      Object.assign({label: "estimate", stroke: colour("estimate")}, hidden),
      Object.assign({label: "lower", stroke: "#999"}, hidden),
      Object.assign({label: "upper", stroke: "#999"}, hidden)
    ];
    opts.axes.push({label: e.scale === "relative" ? "canary / baseline − 1" : "canary − baseline",
      values: fmt.ticks, size: 64});
    opts.hooks = {
      drawClear: [lookLines(f, true), limitLines(limits)],
      draw: [whiskers(e, xs, range), limitLabels(limits, fmt.value), lookLabels(f), counted()]
    };
    return {opts: opts, data: [xs, e.estimate, e.lower, e.upper]};
  }

  /**
   * Draws every div.chart of the page, chartFor(el) giving its {opts, data}, and redraws them
   * at the new width when the window is resized.
   */
  function drawAll(chartFor) {
    var plots = [];
    document.querySelectorAll("div.chart").forEach(function (el) {
      var chart = chartFor(el);
      chart.opts.width = el.clientWidth || 600;
      chart.opts.height = HEIGHT;
      plots.push({el: el, plot: new uPlot(chart.opts, chart.data, el)});
    });
    var resizing = 0;
    window.addEventListener("resize", function () {
      clearTimeout(resizing);
      resizing = setTimeout(function () {
        plots.forEach(function (p) { p.plot.setSize({width: p.el.clientWidth || 600, height: HEIGHT}); });
      }, 100);
    });
  }

  return {colour: colour, formats: formats, lookLines: lookLines, lookLabels: lookLabels, counted: counted,
    common: common, effectChart: effectChart, drawAll: drawAll};
})();
