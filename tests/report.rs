//! `report`, `handout` and `completions` through the binary. The report is built from
//! tests/fixtures/report-log.jsonl: twelve programme weeks of `hsr` over thirteen
//! calendar weeks (2026-W41 missed), set and morning pain scores (one set above 5/10 in
//! 2026-W39, rising mornings in 2026-W43), notes (one holding `<script>`), two stopped
//! sets, and a preview at speed 10 that must count nowhere. What the report should say
//! is worked out here from the fixture's JSON, not taken from the program.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use common::reptempo;
use serde_json::Value;

const FIXTURE: &str = "tests/fixtures/report-log.jsonl";
const TODAY: &str = "2026-11-30";

fn fixture() -> Vec<Value> {
    std::fs::read_to_string(FIXTURE)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `report` of the fixture with `args`, written to `file` in a temporary directory.
fn report(dir: &Path, file: &str, args: &[&str]) -> String {
    let path = dir.join(file);
    reptempo()
        .args(["report", "--log", FIXTURE, "--today", TODAY, "-o"])
        .arg(&path)
        .args(args)
        .assert()
        .success();
    std::fs::read_to_string(&path).unwrap()
}

fn iso_week(date: &str) -> String {
    let d: jiff::civil::Date = date[..10].parse().unwrap();
    let w = d.iso_week_date();
    format!("{}-W{:02}", w.year(), w.week())
}

fn is_preview(r: &Value) -> bool {
    r.get("speed").is_some_and(|s| s.as_f64() != Some(1.0))
}

/// Per ISO week of the training sets: sessions, sets done, sets stopped.
fn adherence(records: &[Value]) -> BTreeMap<String, (usize, usize, usize)> {
    let mut weeks: BTreeMap<String, (BTreeSet<String>, usize, usize)> = BTreeMap::new();
    for r in records
        .iter()
        .filter(|r| r["kind"] == "set" && !is_preview(r))
    {
        let w = weeks
            .entry(iso_week(r["start"].as_str().unwrap()))
            .or_default();
        w.0.insert(r["session"].as_str().unwrap().to_owned());
        if r["status"] == "done" {
            w.1 += 1;
        } else {
            w.2 += 1;
        }
    }
    weeks
        .into_iter()
        .map(|(k, (s, d, x))| (k, (s.len(), d, x)))
        .collect()
}

/// `hsr`: 3 sessions a week (presets/hsr.toml), each 3 exercises x 4 sets.
const SESSIONS_PER_WEEK: usize = 3;
const SETS_PER_SESSION: usize = 12;

#[test]
fn adherence_is_sessions_and_sets_planned_against_done_week_by_week() {
    let dir = tempfile::tempdir().unwrap();
    let html = report(dir.path(), "r.html", &["--name", "Anna K"]);
    let expected = adherence(&fixture());
    assert_eq!(expected.len(), 12, "the fixture trains in 12 weeks");
    for (week, (sessions, done, stopped)) in &expected {
        let row = format!("<td>{week}</td><td>");
        let at = html
            .find(&row)
            .unwrap_or_else(|| panic!("no row for {week}"));
        let cells = &html[at..at + 220];
        let want = format!(
            r#"<td class="n">{sessions} of {SESSIONS_PER_WEEK}</td><td class="n">{done} of {}</td><td class="n">{stopped}</td>"#,
            SESSIONS_PER_WEEK * SETS_PER_SESSION
        );
        assert!(cells.contains(&want), "{week}: want {want} in {cells}");
    }
    // The missed calendar week is a row of its own, marked, with nothing done.
    assert!(!expected.contains_key("2026-W41"));
    assert!(html.contains(
        r#"<tr class="missed"><td>2026-W41</td><td>2026-10-05</td><td class="n">0 of 3</td><td class="n">0 of 36</td>"#
    ));
    assert!(html.contains("Training report: Anna K"));
    assert!(html.contains("2026-08-31 to 2026-11-26"));
    assert!(html.contains("3 sessions a week for 12 weeks"));
}

#[test]
fn each_week_has_the_pain_models_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let md = report(dir.path(), "r.md", &[]);
    let records = fixture();
    // A week with a training set above 5/10 is red; the rest of the fixture keeps sets
    // at 4/10 at most and mornings at 1/10, but for the rising mornings of 2026-W43
    // (red: rising week on week) and one morning of 2026-W46 above the one before its
    // session, with the week's mean not rising (amber).
    let mut worst: BTreeMap<String, i64> = BTreeMap::new();
    for r in records
        .iter()
        .filter(|r| r["kind"] == "set" && !is_preview(r))
    {
        let w = worst
            .entry(iso_week(r["start"].as_str().unwrap()))
            .or_default();
        *w = (*w).max(r["pain"].as_i64().unwrap());
    }
    for (week, pain) in &worst {
        let line = md
            .lines()
            .find(|l| l.starts_with(&format!("| {week} | {pain}/10 |")))
            .unwrap_or_else(|| panic!("no pain row for {week} at {pain}/10"));
        let light = if *pain > 5 || week == "2026-W43" {
            "RED"
        } else if week == "2026-W46" {
            "AMBER"
        } else {
            "GREEN"
        };
        assert!(line.contains(&format!("| {light} |")), "{line}");
    }
    assert!(md.contains("| 2026-W41 |  |  | - | no pain score in these seven days |"));
    assert!(md.contains("pain 6/10 during Bilateral squat set 3 on 2026-09-23"));
    assert!(md.contains("Silbernagel"));
}

#[test]
fn loads_per_exercise_come_from_the_training_sets() {
    let dir = tempfile::tempdir().unwrap();
    let html = report(dir.path(), "r.html", &[]);
    let records = fixture();
    for exercise in ["Bilateral squat", "Hack squat", "Leg press"] {
        let loads: Vec<f64> = records
            .iter()
            .filter(|r| r["kind"] == "set" && !is_preview(r) && r["exercise"] == exercise)
            .map(|r| r["load"]["value"].as_f64().unwrap())
            .collect();
        let kg = |v: f64| {
            let t = format!("{v:.1}");
            format!("{} kg", t.strip_suffix(".0").unwrap_or(&t))
        };
        let sessions: BTreeSet<&str> = records
            .iter()
            .filter(|r| r["kind"] == "set" && !is_preview(r) && r["exercise"] == exercise)
            .map(|r| r["session"].as_str().unwrap())
            .collect();
        let want = format!(
            r#"<td>{exercise}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td>"#,
            sessions.len(),
            kg(loads[0]),
            kg(*loads.last().unwrap())
        );
        assert!(html.contains(&want), "{want}");
    }
    // Two charts of exercises and one of pain, inline.
    assert_eq!(html.matches("<svg").count(), 3);
}

#[test]
fn a_preview_counts_nowhere() {
    let dir = tempfile::tempdir().unwrap();
    let html = report(dir.path(), "r.html", &[]);
    let md = report(dir.path(), "r.md", &[]);
    let previews = fixture().iter().filter(|r| is_preview(r)).count();
    assert_eq!(previews, 3);
    for text in [&html, &md] {
        assert!(!text.contains("preview, not training"));
        assert!(!text.contains("200 kg") && !text.contains("200kg"));
        assert!(!text.contains("9/10"));
        assert!(text.contains(&format!("{previews} sets of previews")));
    }
    // The records table: every training set and morning score, nothing else.
    let rows = fixture().iter().filter(|r| !is_preview(r)).count();
    let table = &md[md.find("## Records").unwrap()..];
    assert_eq!(
        table.lines().filter(|l| l.starts_with("| 2026-")).count(),
        rows
    );
}

#[test]
fn notes_are_escaped_in_html_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let html = report(dir.path(), "r.html", &[]);
    let md = report(dir.path(), "r.md", &[]);
    assert!(!html.contains("<script"), "a script in the page");
    assert!(html.contains("knee felt &lt;script&gt;alert(1)&lt;/script&gt; fine &amp; steady"));
    assert!(html.contains("sharp at the bottom, stopped early"));
    assert!(html.contains("stiff on the stairs"));
    assert!(md.contains(r"knee felt \<script\>alert(1)\</script\> fine \& steady"));
}

/// Every `src`, `href`, `url(` and `@import` of a page: none may reach the network.
fn external_references(page: &str) -> Vec<String> {
    let lower = page.to_ascii_lowercase();
    let mut found = Vec::new();
    for key in [
        "src=", "href=", "url(", "@import", "<link", "<script", "<iframe",
    ] {
        for (i, _) in lower.match_indices(key) {
            found.push(page[i..(i + 80).min(page.len())].to_owned());
        }
    }
    found
}

#[test]
fn the_report_and_the_handout_fetch_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let html = report(dir.path(), "r.html", &[]);
    let handout = handout(dir.path(), "hsr", &["--week", "4"]);
    for page in [&html, &handout] {
        let refs = external_references(page);
        assert!(
            refs.iter()
                .all(|r| !r.to_ascii_lowercase().contains("http")),
            "{refs:?}"
        );
        // In fact there is nothing to fetch at all.
        assert!(refs.is_empty(), "{refs:?}");
        assert!(page.contains("@page") && page.contains("size: A4"));
    }
}

#[test]
fn the_report_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    report(dir.path(), "r.html", &[]);
    let mode = std::fs::metadata(dir.path().join("r.html"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn the_range_and_preset_filters_narrow_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let md = report(
        dir.path(),
        "r.md",
        &["--since", "2026-10-12", "--until", "2026-10-25"],
    );
    let weeks: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("| 2026-W") && l.contains(" of 3 |"))
        .collect();
    assert_eq!(weeks.len(), 2, "{weeks:?}");
    assert!(weeks[0].starts_with("| 2026-W42 |"));
    let md = report(dir.path(), "none.md", &["--preset", "alfredson"]);
    assert!(md.contains("No sets logged in this range."));
    reptempo()
        .args(["report", "--log", FIXTURE, "-o"])
        .arg(dir.path().join("r.pdf"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("use .html or .md"));
}

fn handout(dir: &Path, preset: &str, args: &[&str]) -> String {
    let path = dir.join(format!("{preset}.html"));
    reptempo()
        .args(["handout", preset, "-o"])
        .arg(&path)
        .args(args)
        .assert()
        .success();
    std::fs::read_to_string(&path).unwrap()
}

#[test]
fn the_handout_says_the_tempo_in_words_and_marks_the_week() {
    let dir = tempfile::tempdir().unwrap();
    let page = handout(dir.path(), "hsr", &["--week", "4"]);
    assert_eq!(
        page.matches("lower for 3 seconds, no pause, lift for 3 seconds")
            .count(),
        3
    );
    assert!(page.contains("4 x 10 reps"));
    assert!(page.contains("3 minutes"));
    assert!(page.contains("10RM: the heaviest weight you can lift 10 times"));
    assert!(page.contains(r#"<tr class="current"><td>weeks 4-5</td>"#));
    assert_eq!(page.matches("class=\"current\"").count(), 1);
    assert!(page.contains("this week"));
    assert!(page.contains("pain up to 5"));
    assert!(page.contains("Kongsgaard M"));
    // The isometric preset keeps its caveat: the evidence review that did not replicate
    // the 2015 result.
    let page = handout(dir.path(), "isometric", &[]);
    assert!(page.contains("hold still for 45 seconds"));
    assert!(page.contains("Clifford C, Challoumas D"));
    assert!(page.contains("the 2015 result was not replicated"));
    assert!(page.contains("does not replace"));
}

/// Headless Chromium, if installed.
fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            let out = Process::new("sh")
                .args(["-c", &format!("command -v {name}")])
                .output()
                .ok()?;
            out.status
                .success()
                .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        })
}

/// Runs headless Chromium on `page` with `args`; no network: every host is unresolvable.
fn headless(chromium: &Path, profile: &Path, page: &Path, args: &[String]) {
    let out = Process::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

/// The pages a PDF holds, by its page objects.
fn pdf_pages(path: &Path) -> usize {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    let text = String::from_utf8_lossy(&bytes);
    text.match_indices("/Type /Page")
        .chain(text.match_indices("/Type/Page"))
        .filter(|(i, m)| !text[i + m.len()..].starts_with('s'))
        .count()
}

#[test]
fn chromium_draws_the_report_and_prints_it_on_a4() {
    use std::io::Write as _;
    let Some(chromium) = chromium() else {
        let _ = writeln!(std::io::stderr(), "SKIPPED: chromium not installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");
    report(dir.path(), "r.html", &["--name", "Anna K"]);
    handout(dir.path(), "hsr", &["--week", "4"]);
    let shot = dir.path().join("r.png");
    headless(
        &chromium,
        &profile,
        &dir.path().join("r.html"),
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=900,1600".to_owned(),
        ],
    );
    assert_eq!(png_size(&shot), (900, 1600));
    // A blank page compresses to almost nothing; text, tables and charts do not.
    assert!(std::fs::metadata(&shot).unwrap().len() > 40_000);
    let pdf = dir.path().join("r.pdf");
    headless(
        &chromium,
        &profile,
        &dir.path().join("r.html"),
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".to_owned(),
        ],
    );
    let pages = pdf_pages(&pdf);
    assert!((3..=30).contains(&pages), "{pages} pages");
    // The handout is one page.
    let pdf = dir.path().join("h.pdf");
    headless(
        &chromium,
        &profile,
        &dir.path().join("hsr.html"),
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".to_owned(),
        ],
    );
    assert_eq!(pdf_pages(&pdf), 1);
}

/// What bash completes for `words` (the last one being completed), through the script
/// `completions bash` prints, with `bin` first on PATH.
fn bash_complete(script: &Path, bin: &Path, config: &Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{}'; COMP_POINT=${{#COMP_LINE}}; _reptempo_with_presets reptempo '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words.len() - 1,
        words.join(" "),
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Process::new("bash")
        .args(["-c", &program])
        .env("PATH", path)
        .env("XDG_CONFIG_HOME", config)
        .env("REPTEMPO_LOG", "/nonexistent/sets.jsonl")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_completes_preset_ids_and_hides_hidden_options() {
    let dir = tempfile::tempdir().unwrap();
    let out = reptempo().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    let script = String::from_utf8(out.stdout).unwrap();
    for hidden in ["--clock", "--script", "--today"] {
        assert!(!script.contains(hidden), "{hidden} is offered");
    }
    assert!(script.contains("--no-advice") && script.contains("handout"));
    let path = dir.path().join("reptempo.bash");
    std::fs::write(&path, &script).unwrap();
    // A user preset is completed beside the built-in ones.
    let presets = dir.path().join("config/reptempo/presets");
    std::fs::create_dir_all(&presets).unwrap();
    std::fs::copy("tests/fixtures/small.toml", presets.join("small.toml")).unwrap();
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_reptempo"));
    let bin = bin.parent().unwrap();
    let config = dir.path().join("config");
    for sub in ["start", "show", "render", "handout"] {
        let got = bash_complete(&path, bin, &config, &["reptempo", sub, ""]);
        for id in ["hsr", "isometric", "alfredson", "small"] {
            assert!(got.iter().any(|g| g == id), "{sub}: {id} not in {got:?}");
        }
    }
    let got = bash_complete(
        &path,
        bin,
        &config,
        &["reptempo", "start", "--week", "4", "hs"],
    );
    assert!(
        got.iter().any(|g| g == "hsr") && got.iter().any(|g| g == "hsr-achilles"),
        "{got:?}"
    );
    assert!(!got.iter().any(|g| g == "isometric"), "{got:?}");
    // The week's value and a second positional get no ids.
    let got = bash_complete(&path, bin, &config, &["reptempo", "start", "--week", ""]);
    assert!(!got.iter().any(|g| g == "hsr"), "{got:?}");
    let got = bash_complete(&path, bin, &config, &["reptempo", "start", "hsr", ""]);
    assert!(!got.iter().any(|g| g == "isometric"), "{got:?}");
    // `log` takes no preset.
    let got = bash_complete(&path, bin, &config, &["reptempo", "log", ""]);
    assert!(!got.iter().any(|g| g == "hsr"), "{got:?}");
}

#[test]
fn presets_ids_lists_one_id_a_line() {
    let out = reptempo().args(["presets", "--ids"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let ids: Vec<&str> = text.lines().collect();
    assert!(
        ids.contains(&"hsr") && ids.contains(&"isometric"),
        "{ids:?}"
    );
    assert!(ids.iter().all(|id| !id.contains(' ')));
}

#[test]
fn the_coachs_recorded_decisions_are_listed_with_their_rule_and_never_change_the_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("with-advice.jsonl");
    let advice = serde_json::json!({
        "kind": "advice", "v": 1, "at": "2026-11-25T19:00:00+01:00",
        "from": "session", "preset": "hsr", "week": 12, "exercise": "Leg press",
        "side": "both", "decision": "progress", "change": "+5%",
        "load": {"value": 999.0, "unit": "kg"}, "stage": null,
        "reason": "all 4 sets of 6 at RPE 7 <b>", "rule": "HSR within-week progression",
        "source": "Kongsgaard 2009",
    });
    let text = std::fs::read_to_string(FIXTURE).unwrap() + &advice.to_string() + "\n";
    std::fs::write(&log, text).unwrap();
    let make = |file: &str, source: &str| {
        let path = dir.path().join(file);
        reptempo()
            .args(["report", "--log", source, "--today", TODAY, "-o"])
            .arg(&path)
            .assert()
            .success();
        std::fs::read_to_string(&path).unwrap()
    };
    let md = make("a.md", log.to_str().unwrap());
    let section = md.split("## The coach's decisions").nth(1).unwrap();
    let section = section.split("## Records").next().unwrap();
    assert!(
        section.contains("progress +5%")
            && section.contains("HSR within-week progression (Kongsgaard 2009)"),
        "{section}"
    );
    let html = make("a.html", log.to_str().unwrap());
    assert!(html.contains("RPE 7 &lt;b&gt;"), "the reason is escaped");
    // The advised 999 kg is not a load lifted: everything but the decisions is as
    // without the advice line.
    let without = make("b.md", FIXTURE);
    let strip = |t: &str| {
        let (head, rest) = t.split_once("## The coach's decisions").unwrap();
        head.to_owned() + rest.split_once("## Records").unwrap().1
    };
    assert_eq!(strip(&md), strip(&without));
    assert!(without.contains("No decisions recorded."));
}
