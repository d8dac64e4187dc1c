package io.streamwreck.streamchecker;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --format html}: the drift report as one self-contained page — inline CSS, script and SVG, nothing fetched,
 * so it opens offline, as a CI artifact or an e-mail attachment. In reading order: the verdict; the totals; a shard ×
 * time heatmap of drift with the same figures as a table beside it (readable without colour, and without script);
 * the per-shard table; the drifted keys, with a filter and a link from each bucket to its keys; and the JSON report
 * itself, embedded for tools ({@code <script type="application/json" id="streamwreck-report">}).
 *
 * <p>Everything but the key list is written here as plain HTML. The key list is drawn by the page's script from the
 * embedded JSON, a page of rows at a time: every key is in the file once, so 100,000 drifted keys stay a few MB and
 * render in a moment (bench/results/75-drift-page.md).
 */
final class HtmlReport {

    /** Shards drawn in the heatmap at most (those with the most drift); the per-shard table lists every one. */
    static final int MAX_HEATMAP_SHARDS = 64;
    /** Columns drawn at most (the latest buckets); a fixed narrow --bucket over a long span would be wider. */
    static final int MAX_HEATMAP_COLUMNS = 360;
    /** Rows of the bucket table at most (buckets with drift first kept). */
    static final int MAX_BUCKET_ROWS = 500;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private HtmlReport() {
    }

    static void write(ScanReport report, PrintWriter out) throws IOException {
        Counts total = report.total();
        String title = "streamwreck drift report: " + report.stream()
                + (report.application() == null ? "" : " / " + report.application());
        out.print("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                // Nothing may be fetched: the page is whole as it is.
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
                + "script-src 'unsafe-inline'; img-src data:\">\n<title>");
        out.print(esc(title));
        out.print("</title>\n<style>");
        out.print(STYLE);
        out.print("</style>\n</head>\n<body>\n");
        verdict(report, total, out);
        totals(report, total, out);
        timeline(report, out);
        shards(report, out);
        keys(report, out);
        out.print("<section id=\"json\"><h2>The JSON report</h2><p>The same report as <code>--format json</code> gives, "
                + "embedded in this page for tools: the text of <code>&lt;script id=\"streamwreck-report\"&gt;</code>. "
                + "<button type=\"button\" id=\"save-json\">Save it as a .json file</button></p></section>\n");
        out.print("<script type=\"application/json\" id=\"streamwreck-report\">");
        StringWriter json = new StringWriter();
        JsonReport.write(report, json, false);
        // Inside a script element only "</script" or "<!--" could end it early; '<' occurs only within JSON strings,
        // where \u003c reads the same.
        out.print(json.toString().replace("<", "\\u003c"));
        out.print("</script>\n<script>");
        out.print(SCRIPT);
        out.print("</script>\n</body>\n</html>\n");
        out.flush();
    }

    private static void verdict(ScanReport report, Counts total, PrintWriter out) {
        out.print("<header>\n");
        if (total.drift() > 0) {
            out.printf(Locale.ROOT, "<h1 id=\"verdict\" class=\"drift\">Drift: %s of %s records drifted (%s duplicated, "
                            + "%s skipped, %s undelivered)</h1>\n", n(total.drift()), n(total.scanned()),
                    n(total.duplicated()), n(total.skipped()), n(total.undelivered()));
        } else {
            out.printf(Locale.ROOT, "<h1 id=\"verdict\" class=\"clean\">No drift: every record judged was processed "
                    + "exactly once%s</h1>\n", total.inFlight() == 0 ? ""
                    : " (" + n(total.inFlight()) + " in flight, not judged yet)");
        }
        out.printf(Locale.ROOT, "<p class=\"scope\">Stream <b>%s</b>, application <b>%s</b>: %s shard%s%s from %s up to "
                        + "%s, settle %s; scanned %s records in %.1f s.</p>\n", esc(report.stream()),
                esc(report.application() == null ? "(the checker's default)" : report.application()),
                n(report.shards().size()), report.shards().size() == 1 ? "" : "s",
                report.part() == null ? "" : " (part " + esc(report.part()) + " of the stream's shards)",
                esc(report.from().toString()), report.scanStart(), Settle.describe(report.settle()), n(total.scanned()),
                report.seconds());
        if (report.evidence() != null) {
            out.printf(Locale.ROOT, "<p class=\"scope\" id=\"evidence\">Checkpoints: %s%s.</p>\n", esc(report.evidence()),
                    total.pending() == 0 ? "" : "; " + n(total.pending()) + " records pending (the consumer has not reached them yet: lag, not drift)");
        }
        out.print("<nav><a href=\"#timeline\">When</a> · <a href=\"#shards\">Per shard</a> · "
                + "<a href=\"#keys\">Drifted keys</a> · <a href=\"#json\">JSON</a></nav>\n</header>\n");
    }

    private static void totals(ScanReport report, Counts total, PrintWriter out) {
        out.print("<section id=\"totals\"><h2>Totals</h2>\n<table id=\"totals-table\" class=\"num\">\n");
        out.print("<thead><tr><th>shards</th>" + HEAD + "</tr></thead>\n<tbody><tr><td>" + n(report.shards().size())
                + "</td>" + cells(total) + "</tr></tbody></table></section>\n");
    }

    private static final String HEAD = "<th>scanned</th><th>processed</th><th>duplicated</th><th>skipped</th>"
            + "<th>undelivered</th><th>in flight</th><th>pending</th><th>drift</th>";

    private static String cells(Counts c) {
        return "<td data-field=\"Scanned\">" + n(c.scanned()) + "</td><td data-field=\"Processed\">" + n(c.processed())
                + "</td><td data-field=\"Duplicated\">" + n(c.duplicated()) + "</td><td data-field=\"Skipped\">"
                + n(c.skipped()) + "</td><td data-field=\"Undelivered\">" + n(c.undelivered())
                + "</td><td data-field=\"InFlight\">" + n(c.inFlight()) + "</td><td data-field=\"Pending\">" + n(c.pending())
                + "</td><td data-field=\"Drift\""
                + (c.drift() > 0 ? " class=\"bad\"" : "") + ">" + n(c.drift()) + "</td>";
    }

    /** The heatmap and, beside it, the bucket table with the same figures. */
    private static void timeline(ScanReport report, PrintWriter out) {
        Timeline t = report.timeline();
        out.printf(Locale.ROOT, "<section id=\"timeline\"><h2>When: drift by shard and arrival time</h2>\n"
                + "<p>Buckets of %s of arrival time (UTC)%s. A darker cell holds more drifted records; a cell with drift "
                + "is hatched and links to its keys, as does every row of the table.</p>\n", Settle.describe(t.bucket()),
                t.automatic() ? ", chosen to fit the span" : "");
        if (t.cells().isEmpty()) {
            out.print(report.total().scanned() == 0 ? "<p>No records were scanned: there is no timeline.</p></section>\n"
                    : "<p>This report has no timeline (it was written by a stream-checker without one).</p></section>\n");
            return;
        }
        List<Long> starts = t.starts();
        out.print("<div class=\"pair\">\n");
        heatmap(t, starts, out);
        out.print("<div class=\"side\"><table id=\"bucket-table\" class=\"num\">\n<caption>Per bucket</caption>\n"
                + "<thead><tr><th>bucket (UTC)</th>" + HEAD + "<th>shards with drift</th><th></th></tr></thead>\n<tbody>\n");
        int rows = 0;
        for (int i = 0; i < starts.size() && rows < MAX_BUCKET_ROWS; i++) {
            long start = starts.get(i);
            Counts c = t.total(start);
            if (c.drift() == 0 && starts.size() > MAX_BUCKET_ROWS) {
                continue;
            }
            rows++;
            long drifting = t.cells().get(start).values().stream().filter(s -> s.drift() > 0).count();
            out.printf(Locale.ROOT, "<tr data-bucket=\"%d\"%s><td class=\"when\">%s</td>%s<td>%s</td><td>%s</td></tr>\n", i,
                    c.drift() > 0 ? " class=\"drifted\"" : "", Instant.ofEpochSecond(start), cells(c), n(drifting),
                    c.drift() > 0 ? "<a class=\"to-keys\" href=\"#keys?bucket=" + i + "\">keys</a>" : "");
        }
        out.print("</tbody></table>");
        if (rows < starts.size()) {
            out.printf(Locale.ROOT, "<p>%s more buckets without drift are in the JSON report.</p>", n(starts.size() - rows));
        }
        out.print("</div></div></section>\n");
    }

    private static void heatmap(Timeline t, List<Long> starts, PrintWriter out) {
        long width = t.width();
        long last = starts.get(starts.size() - 1);
        long first = Math.max(starts.get(0), last - (MAX_HEATMAP_COLUMNS - 1) * width);
        int columns = (int) ((last - first) / width) + 1;
        Map<String, Long> driftByShard = new java.util.TreeMap<>();
        t.cells().values().forEach(shards -> shards.forEach((shard, c) -> driftByShard.merge(shard, c.drift(), Long::sum)));
        List<String> rows = driftByShard.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_HEATMAP_SHARDS).map(Map.Entry::getKey).sorted().toList();
        long max = 1;
        for (Map<String, Counts> shards : t.cells().values()) {
            for (Counts c : shards.values()) {
                max = Math.max(max, c.drift());
            }
        }
        int cw = Math.max(4, Math.min(36, 720 / columns));
        int ch = 18;
        int left = 170;
        int top = 34;
        // Room for the last time label and the note under the chart, however few the columns.
        int w = Math.max(left + columns * cw + 60, left + 300);
        int h = top + rows.size() * ch + 24;
        out.printf(Locale.ROOT, "<figure class=\"chart\" style=\"max-width:%dpx\"><svg id=\"heatmap\" xmlns=\"http://www.w3.org/2000/svg\" "
                + "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"heatmap-title\">"
                + "<title id=\"heatmap-title\">Drifted records per shard (rows) and bucket of arrival time (columns)</title>"
                + "<defs><pattern id=\"hatch\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\" "
                + "patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"4\" stroke=\"#000\" "
                + "stroke-opacity=\"0.35\" stroke-width=\"1.5\"/></pattern></defs>\n", w, w, h, w, h);
        // Time axis: a label about every 120 px, the date where it changes.
        int every = Math.max(1, 120 / cw);
        String lastDay = "";
        for (int col = 0; col < columns; col += every) {
            Instant at = Instant.ofEpochSecond(first + col * width);
            String day = DAY.format(at);
            out.printf(Locale.ROOT, "<text class=\"axis\" x=\"%d\" y=\"%d\">%s</text>", left + col * cw, 14,
                    day.equals(lastDay) ? "" : day);
            out.printf(Locale.ROOT, "<text class=\"axis\" x=\"%d\" y=\"%d\">%s</text>\n", left + col * cw, 28, TIME.format(at));
            lastDay = day;
        }
        for (int r = 0; r < rows.size(); r++) {
            String shard = rows.get(r);
            int y = top + r * ch;
            out.printf(Locale.ROOT, "<text class=\"label\" x=\"%d\" y=\"%d\">%s</text>", left - 6, y + ch - 5, esc(shard));
            for (int i = 0; i < starts.size(); i++) {
                long start = starts.get(i);
                if (start < first) {
                    continue;
                }
                Counts c = t.cells().get(start).get(shard);
                if (c == null) {
                    continue;
                }
                int x = left + (int) ((start - first) / width) * cw;
                String tip = esc(shard) + ", " + Instant.ofEpochSecond(start) + ": " + n(c.drift()) + " drifted of "
                        + n(c.scanned()) + " scanned";
                if (c.drift() == 0) {
                    out.printf(Locale.ROOT, "<rect class=\"ok\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"><title>%s</title></rect>",
                            x, y, cw - 1, ch - 1, tip);
                    continue;
                }
                // Log scale, so one drifted record is visible next to thousands.
                double level = Math.log1p(c.drift()) / Math.log1p(max);
                int light = (int) Math.round(88 - 55 * level);
                out.printf(Locale.ROOT, "<a href=\"#keys?bucket=%d&amp;shard=%s\" class=\"cell\" data-bucket=\"%d\" data-shard=\"%s\">"
                                + "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" style=\"fill:hsl(0,75%%,%d%%)\"/>"
                                + "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"url(#hatch)\"/>",
                        i, esc(shard), i, esc(shard), x, y, cw - 1, ch - 1, light, x, y, cw - 1, ch - 1);
                if (cw >= 24) {
                    out.printf(Locale.ROOT, "<text class=\"count\" x=\"%d\" y=\"%d\">%s</text>", x + cw / 2, y + ch - 5,
                            c.drift() > 999 ? "1k+" : Long.toString(c.drift()));
                }
                out.printf(Locale.ROOT, "<title>%s</title></a>", tip);
            }
            out.print("\n");
        }
        out.printf(Locale.ROOT, "<text class=\"axis\" x=\"%d\" y=\"%d\">%s</text>", left, h - 6,
                esc(rows.size() < driftByShard.size() ? "the " + rows.size() + " shards with the most drift of "
                        + driftByShard.size() : "every shard with records") + (columns * width < (last - starts.get(0) + width)
                        ? "; the latest " + columns + " buckets" : ""));
        out.print("</svg><figcaption>Grey: records, no drift. Hatched, darker for more: drift (hover for the count; "
                + "the table beside has every figure).</figcaption></figure>\n");
    }

    private static void shards(ScanReport report, PrintWriter out) {
        out.print("<section id=\"shards\"><h2>Per shard</h2>\n<table id=\"shard-table\" class=\"num\">\n<thead><tr>"
                + "<th>shard</th><th>state</th>" + HEAD + "<th></th></tr></thead>\n<tbody>\n");
        for (ShardSummary s : report.shards().stream().sorted(Comparator.comparing(ShardSummary::shardId)).toList()) {
            out.printf(Locale.ROOT, "<tr data-shard=\"%s\"%s><td class=\"id\">%s</td><td>%s</td>%s<td>%s</td></tr>\n",
                    esc(s.shardId()), s.counts().drift() > 0 ? " class=\"drifted\"" : "", esc(s.shardId()),
                    s.closed() ? "closed" : "open", cells(s.counts()), s.counts().drift() > 0
                            ? "<a class=\"to-keys\" href=\"#keys?shard=" + esc(s.shardId()) + "\">keys</a>" : "");
        }
        out.print("</tbody></table></section>\n");
    }

    private static void keys(ScanReport report, PrintWriter out) {
        out.printf(Locale.ROOT, "<section id=\"keys\"><h2>Drifted keys</h2>\n<form id=\"key-form\" onsubmit=\"return false\">"
                + "<label>Filter <input id=\"filter\" type=\"search\" placeholder=\"part of a key, e.g. a shard or sequence number\" "
                + "size=\"40\" autocomplete=\"off\"></label> <label>Class <select id=\"class\"><option value=\"\">all</option>"
                + "<option value=\"duplicated\">duplicated</option><option value=\"skipped\">skipped</option>"
                + "<option value=\"undelivered\">undelivered</option></select></label> "
                + "<span id=\"scope\"></span> <a href=\"#keys\" id=\"clear\">show all</a></form>\n"
                + "<p id=\"key-count\" aria-live=\"polite\">%s drifted keys%s</p>\n"
                + "<noscript><p>The key list needs the page's script; every key is in the JSON report below.</p></noscript>\n"
                + "<table id=\"key-table\"><thead><tr><th>class</th><th>key</th><th>times processed</th>"
                + "<th>arrived (bucket, UTC)</th></tr></thead><tbody></tbody></table>\n"
                + "<p><button type=\"button\" id=\"more\" hidden>Show more</button></p></section>\n",
                n(report.drifted().size()), report.drifted().isEmpty() ? "" : " (the list is drawn by the page's script)");
    }

    private static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String STYLE = """
            :root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;background:#fff}
            body{margin:1.5rem auto;max-width:1400px;padding:0 1rem;line-height:1.4}
            h1{font-size:1.5rem;margin:.2rem 0;padding:.6rem .8rem;border-left:.6rem solid}
            h1.drift{border-color:#b71c1c;background:#fdecea}
            h1.clean{border-color:#2e7d32;background:#edf7ee}
            h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}
            .scope{margin:.4rem 0}nav{margin:.4rem 0 1rem}
            table{border-collapse:collapse;font-size:.85rem;margin:.4rem 0}
            th,td{border:1px solid #bbb;padding:.15rem .45rem}th{background:#f2f2f2;text-align:left}
            table.num td{text-align:right}table.num td.id,table.num td.when{text-align:left;font-family:ui-monospace,monospace}
            td.bad{font-weight:bold}tr.drifted td:first-child{font-weight:bold}
            caption{text-align:left;font-weight:bold;padding:.2rem 0}
            .pair{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}
            .side{max-height:36rem;overflow:auto}.side table{font-size:.78rem}.side th,.side td{padding:.1rem .35rem}
            figure{margin:0}figcaption{font-size:.8rem;color:#333}
            svg text{font-family:ui-monospace,monospace;font-size:11px;fill:#222}
            svg text.label{text-anchor:end}svg text.count{text-anchor:middle;font-size:10px;fill:#000;font-weight:bold}
            svg rect.ok{fill:#e3e3e3}svg a.cell:focus rect,svg a.cell:hover rect{stroke:#000;stroke-width:2}
            #key-table td:nth-child(2){font-family:ui-monospace,monospace;word-break:break-all}
            #key-table td:nth-child(3){text-align:right}
            #scope{font-weight:bold}
            @media print{.side{max-height:none}}
            """;

    /**
     * The key list: drawn from the embedded JSON, filtered by the text box, the class and the location's hash
     * ({@code #keys?bucket=3&shard=shardId-…&q=…&class=skipped}, which every bucket link sets), PAGE rows at a time.
     * When the first list is drawn it sets {@code data-rendered-ms} on the root element (milliseconds since the page
     * began to load), and {@code data-painted-ms} once that frame is on the screen: the tests wait on the one, the
     * benchmark reports the other.
     */
    private static final String SCRIPT = """
            (function(){
            'use strict';
            var PAGE=500;
            var report=JSON.parse(document.getElementById('streamwreck-report').textContent);
            var starts=report.Timeline.Buckets.map(function(b){return b.Start;});
            var keys=[];
            function add(list,cls,indexes){
              for(var i=0;i<list.length;i++){
                var e=list[i];var key=typeof e==='string'?e:e.Key;
                var b=indexes&&indexes[i]!=null?indexes[i]:-1;
                keys.push({k:key,c:cls,n:typeof e==='string'?0:e.Count,b:b,s:key.substring(0,key.indexOf(':'))});
              }
            }
            var db=report.Timeline.DriftedBuckets||{};
            add(report.Duplicated,'duplicated',db.Duplicated);
            add(report.Skipped,'skipped',db.Skipped);
            add(report.Undelivered,'undelivered',db.Undelivered);
            keys.sort(function(a,b){return a.k<b.k?-1:a.k>b.k?1:0;});
            var filter=document.getElementById('filter'),cls=document.getElementById('class');
            var tbody=document.querySelector('#key-table tbody'),more=document.getElementById('more');
            var count=document.getElementById('key-count'),scope=document.getElementById('scope');
            var state={q:'',c:'',bucket:null,shard:null},matches=[],shown=0;
            function fromHash(){
              var h=location.hash,i=h.indexOf('?');state.bucket=null;state.shard=null;
              if(h.indexOf('#keys')!==0){return false;}
              if(i>=0){h.substring(i+1).split('&').forEach(function(p){
                var kv=p.split('='),v=decodeURIComponent(kv[1]||'');
                if(kv[0]==='bucket'&&v!==''){state.bucket=parseInt(v,10);}
                else if(kv[0]==='shard'){state.shard=v||null;}
                else if(kv[0]==='q'){state.q=v;filter.value=v;}
                else if(kv[0]==='class'){state.c=v;cls.value=v;}
              });}
              return true;
            }
            function fmt(n){return n.toLocaleString('en-US');}
            function compute(){
              var q=state.q.trim().toLowerCase();matches=[];
              for(var i=0;i<keys.length;i++){var e=keys[i];
                if(state.c&&e.c!==state.c)continue;
                if(state.bucket!==null&&e.b!==state.bucket)continue;
                if(state.shard!==null&&e.s!==state.shard)continue;
                if(q&&e.k.toLowerCase().indexOf(q)<0&&e.c.indexOf(q)!==0)continue;
                matches.push(e);}
            }
            function row(e){
              var tr=document.createElement('tr');tr.className=e.c;
              var td=document.createElement('td');td.textContent=e.c;tr.appendChild(td);
              td=document.createElement('td');td.textContent=e.k;tr.appendChild(td);
              td=document.createElement('td');td.textContent=e.c==='duplicated'?String(e.n):'';tr.appendChild(td);
              td=document.createElement('td');
              if(e.b>=0){var a=document.createElement('a');a.href='#keys?bucket='+e.b;a.textContent=starts[e.b];td.appendChild(a);}
              tr.appendChild(td);return tr;
            }
            function draw(reset){
              if(reset){tbody.textContent='';shown=0;}
              var frag=document.createDocumentFragment(),end=Math.min(matches.length,shown+PAGE);
              for(var i=shown;i<end;i++){frag.appendChild(row(matches[i]));}
              tbody.appendChild(frag);shown=end;
              more.hidden=shown>=matches.length;
              more.textContent='Show '+fmt(Math.min(PAGE,matches.length-shown))+' more';
              var parts=[];
              if(state.bucket!==null){parts.push('bucket '+(starts[state.bucket]||'?'));}
              if(state.shard!==null){parts.push(state.shard);}
              scope.textContent=parts.length?'in '+parts.join(', '):'';
              count.textContent=(matches.length===keys.length?fmt(keys.length)+' drifted keys':fmt(matches.length)+' of '+fmt(keys.length)+' drifted keys match')
                +(shown<matches.length?'; showing the first '+fmt(shown):'');
              count.setAttribute('data-matches',String(matches.length));
            }
            function update(){compute();draw(true);}
            var timer=null;
            filter.addEventListener('input',function(){state.q=filter.value;clearTimeout(timer);timer=setTimeout(update,keys.length>20000?150:0);});
            cls.addEventListener('change',function(){state.c=cls.value;update();});
            more.addEventListener('click',function(){draw(false);});
            window.addEventListener('hashchange',function(){if(fromHash()){update();}});
            document.getElementById('save-json').addEventListener('click',function(){
              var a=document.createElement('a');
              a.href=URL.createObjectURL(new Blob([document.getElementById('streamwreck-report').textContent],{type:'application/json'}));
              a.download='drift-report.json';document.body.appendChild(a);a.click();a.remove();
            });
            fromHash();update();
            var root=document.documentElement;
            root.setAttribute('data-rendered-ms',String(Math.round(performance.now())));
            requestAnimationFrame(function(){setTimeout(function(){root.setAttribute('data-painted-ms',String(Math.round(performance.now())));},0);});
            })();
            """;
}
