package org.canaryjudge.server.report;

/**
 * The report's style sheet. The colours of verdicts and outcomes are CSS variables, which the
 * report's script reads too, so that the tables and the charts agree.
 */
final class ReportStyle {

    static final String CSS = """
        :root {
          --promote: #2e7d32; --pass: #2e7d32; --hold: #e08a00; --rollback: #c62828;
          --inconclusive: #8c8c8c; --nodata: #b8b8b8; --error: #7b1fa2;
          --baseline: #8a94a6; --canary: #1565c0; --estimate: #212121;
        }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1f;
          max-width: 1500px; margin: 0 auto; padding: 16px 24px 48px; }
        h1 { font-size: 22px; margin: 8px 0 12px; }
        h2 { font-size: 19px; margin: 0 0 4px; }
        h3 { font-size: 15px; margin: 20px 0 6px; }
        h3 small { font-weight: normal; color: #666; }
        p { margin: 4px 0; }
        a { color: #1565c0; }
        section.fixture { border-top: 2px solid #ddd; margin-top: 28px; padding-top: 16px; }
        .description { color: #333; max-width: 1000px; }
        .chip { display: inline-block; border-radius: 9px; padding: 0 7px; line-height: 18px; font-size: 12px;
          font-weight: 600; color: #fff; background: var(--inconclusive); }
        .chip.promote { background: var(--promote); } .chip.pass { background: var(--pass); }
        .chip.hold { background: var(--hold); } .chip.rollback { background: var(--rollback); }
        .chip.nodata { background: var(--nodata); color: #222; } .chip.error { background: var(--error); }
        .met { color: var(--promote); font-weight: 600; } .missed { color: var(--rollback); font-weight: 600; }
        .key { color: #444; font-size: 13px; max-width: 1100px; }
        .key .line { display: inline-block; width: 18px; height: 0; vertical-align: middle; border-top: 3px solid; }
        .key .dashed { border-top-style: dashed; }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(600px, 100%), 1fr)); gap: 8px 24px; }
        .chart { min-width: 0; }
        .uplot .u-title { font-size: 13px; font-weight: 600; }
        .uplot .u-legend { font-size: 12px; }
        table { border-collapse: collapse; font-size: 12.5px; }
        th, td { border-bottom: 1px solid #e5e5e5; padding: 3px 8px; text-align: left; vertical-align: top;
          white-space: nowrap; }
        th { background: #f5f5f5; }
        table.summary td.reason { white-space: normal; max-width: 48em; }
        tr.decided td { background: #fff4dc; }
        .effect { color: #555; font-variant-numeric: tabular-nums; }
        td details { white-space: normal; min-width: 260px; max-width: 640px; }
        details summary { cursor: pointer; color: #1565c0; }
        details ul { margin: 4px 0; padding-left: 18px; }
        footer { margin-top: 36px; color: #777; font-size: 12px; }
        """;

    private ReportStyle() {
    }
}
