//! The house plan: which top-level module of `src/` may import which.
//!
//! Bloei is one crate, so the compiler lets any module reach any other. This test is what keeps
//! the house standing: it reads every `src/**/*.rs`, collects each `crate::…` path (in `use`
//! trees and inline) and checks it against the plan below. Entry code wires capabilities
//! together; capabilities (what the shop does) build on plumbing (web, mail, payment), which
//! builds on the domain types, which build on the kernel. Nothing points up.
//!
//! Changing the plan: change it here, on purpose, in its own commit, never around it (no
//! re-exports or `super::super` detours to hide an import from this test). If a failure names a
//! module that is not in the plan, add it to the layer it belongs to.
//!
//! Only the standard library is used, so this file also compiles on its own:
//! `rustc --edition 2024 --test tests/architecture.rs -o /tmp/arch_test && /tmp/arch_test`.

/// Layers, top to bottom. A module may import modules in lower layers; inside a layer only what
/// `SAME_LAYER` lists.
#[rustfmt::skip] // laid out as a table to be read
const LAYERS: &[(&str, &[&str])] = &[
    ("entry", &["main", "lib", "startup", "cli", "jobs", "ops", "backup"]),
    ("capabilities", &["staff", "ordering", "privacy", "business", "accounts", "catalog", "delivery"]),
    ("plumbing", &["web", "mail", "payment"]),
    ("domain", &["domain"]),
    ("kernel", &["config", "db", "error", "i18n", "money", "telemetry"]),
];

/// Imports allowed between modules of the same layer (what the business implies). A module
/// that is not listed may import nothing from its own layer.
#[rustfmt::skip] // laid out as a table to be read
const SAME_LAYER: &[(&str, &[&str])] = &[
    // entry
    ("cli", &["startup", "jobs", "backup"]),
    // backup and restore open the database as start-up does
    ("backup", &["startup"]),
    ("startup", &["jobs", "ops"]),
    // capabilities: ordering uses catalog and delivery (what is sold, when it can come),
    // accounts (who orders), business (pay on account) and privacy (consent at checkout);
    // business builds on accounts; privacy reads accounts and companies; staff screens call
    // every capability's services, and nothing uses staff.
    ("staff", &["ordering", "privacy", "business", "accounts", "catalog", "delivery"]),
    ("ordering", &["privacy", "business", "accounts", "catalog", "delivery"]),
    ("privacy", &["business", "accounts"]),
    ("business", &["accounts"]),
    ("accounts", &[]),
    ("catalog", &[]),
    ("delivery", &[]),
    // plumbing imports no other plumbing
    ("web", &[]), ("mail", &[]), ("payment", &[]),
    // kernel: settings name the database they point at; the database layer fails with the
    // one error type and reports its pool waits to the metrics; amounts are shown in a language
    ("config", &["db"]),
    ("db", &["error", "telemetry"]),
    ("money", &["i18n"]),
    ("error", &[]),
    ("i18n", &[]),
    ("telemetry", &[]),
];

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The crate roots: `main.rs` reaches the library as `bloei::` and `lib.rs` only declares the
/// modules, so neither is checked as an importer.
const ROOTS: &[&str] = &["main", "lib"];

/// The index of `module`'s layer (0 is the top) and the layer's name.
fn layer_of(module: &str) -> Option<(usize, &'static str)> {
    let i = LAYERS.iter().position(|(_, ms)| ms.contains(&module))?;
    Some((i, LAYERS[i].0))
}

fn layer_name(module: &str) -> &'static str {
    layer_of(module).map_or("not in the plan", |(_, name)| name)
}

/// Down the layers, or sideways where `SAME_LAYER` says so.
fn may_import(from: &str, to: &str) -> bool {
    let listed = SAME_LAYER
        .iter()
        .any(|(m, allowed)| *m == from && allowed.contains(&to));
    match (layer_of(from), layer_of(to)) {
        (Some((a, _)), Some((b, _))) => b > a || (a == b && listed),
        _ => false,
    }
}

/// A token (identifier, `::` or one punctuation character) and its line.
type Tok = (String, usize);

/// Splits Rust source into tokens, dropping comments (doc comments too; block comments nest),
/// string, byte, C and raw strings and char literals, so that prose or text mentioning
/// `crate::x` is never taken for an import. Lifetimes and labels (`'a`) are kept apart from
/// char literals (`'a'`, `'\''`).
fn tokens(src: &str) -> Vec<Tok> {
    let c: Vec<char> = src.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let word_char = |ch: char| ch == '_' || ch.is_alphanumeric();
    let (mut toks, mut i, mut line) = (Vec::new(), 0, 1);
    while i < c.len() {
        let start = i;
        match (c[i], at(i + 1)) {
            ('/', '/') => i += c[i..].iter().take_while(|&&ch| ch != '\n').count(),
            ('/', '*') => {
                let mut depth = 0;
                while i < c.len() {
                    match (c[i], at(i + 1)) {
                        ('/', '*') => (depth, i) = (depth + 1, i + 2),
                        ('*', '/') => (depth, i) = (depth - 1, i + 2),
                        _ => i += 1,
                    }
                    if depth == 0 {
                        break;
                    }
                }
            }
            ('"', _) => i = string_end(&c, i + 1, None),
            ('\'', '\\') => i += 4 + c[i + 3..].iter().take_while(|&&ch| ch != '\'').count(),
            ('\'', _) if at(i + 2) == '\'' => i += 3,
            (':', ':') => {
                toks.push(("::".into(), line));
                i += 2;
            }
            (ch, _) if word_char(ch) => {
                i += c[i..].iter().take_while(|&&ch| word_char(ch)).count();
                let word: String = c[start..i].iter().collect();
                let hashes = c[i..].iter().take_while(|&&ch| ch == '#').count();
                match word.as_str() {
                    "r" | "br" | "cr" if at(i + hashes) == '"' => {
                        i = string_end(&c, i + hashes + 1, Some(hashes))
                    }
                    "b" | "c" if at(i) == '"' => i = string_end(&c, i + 1, None),
                    "b" if at(i) == '\'' => {} // a byte literal: the quote is read next
                    "r" if hashes == 1 => i += 1, // a raw identifier: `r#type` reads as `type`
                    _ => toks.push((word, line)),
                }
            }
            (ch, _) if ch.is_whitespace() => i += 1,
            (ch, _) => {
                toks.push((ch.to_string(), line));
                i += 1;
            }
        }
        i = i.min(c.len());
        line += c[start..i].iter().filter(|&&ch| ch == '\n').count();
    }
    toks
}

/// The index just past a string whose body starts at `i`. Raw strings (`Some(hashes)`) know no
/// escapes and end at a `"` followed by that many `#`.
fn string_end(c: &[char], mut i: usize, raw: Option<usize>) -> usize {
    while i < c.len() {
        match (c[i], raw) {
            ('\\', None) => i += 1,
            ('"', None) => return i + 1,
            ('"', Some(n)) if c[i + 1..].iter().take(n).filter(|&&h| h == '#').count() == n => {
                return i + 1 + n;
            }
            _ => {}
        }
        i += 1;
    }
    i
}

/// A `crate::…` path: the line of its top-level module (the segment after `crate`, which is the
/// line worth pointing at in a use tree spread over lines) and its segments.
type FoundPath = (usize, Vec<String>);

/// Every `crate::…` path in `src`: `use` and `pub use` trees with their nested groups expanded,
/// and inline paths such as `crate::ordering::repo::lines_of(conn)`.
fn crate_paths(src: &str) -> Vec<FoundPath> {
    let toks = tokens(src);
    let (mut out, mut i) = (Vec::new(), 0);
    while i < toks.len() {
        if toks[i].0 == "use" {
            use_tree(&toks, &mut i, Vec::new(), &mut out); // starts on `use`, which it skips
        } else if toks[i].0 == "crate" && toks.get(i + 1).is_some_and(|t| t.0 == "::") {
            use_tree(&toks, &mut i, Vec::new(), &mut out);
        } else {
            i += 1;
        }
    }
    out.retain(|(_, p)| p.len() > 1 && p[0] == "crate");
    out
}

/// Reads one use tree (`a::b`, `a::{b, c::{self, d}}`, `a::*`, `a as b`) or inline path (which
/// ends at `(`, `::<`, `{`, …) from `toks[*i]`, adding each complete path to `out`.
fn use_tree(toks: &[Tok], i: &mut usize, mut path: Vec<Tok>, out: &mut Vec<FoundPath>) {
    let text = |i: usize| toks.get(i).map_or("", |t| t.0.as_str());
    if matches!(text(*i), "use" | "::") {
        *i += 1;
    }
    loop {
        match text(*i) {
            "{" => {
                *i += 1;
                while *i < toks.len() && text(*i) != "}" {
                    let before = *i;
                    use_tree(toks, i, path.clone(), out);
                    if text(*i) == "," {
                        *i += 1;
                    } else if *i == before || text(*i) != "}" {
                        break; // not a use tree after all: never loop without progress
                    }
                }
                *i += 1;
                return;
            }
            "*" => *i += 1,
            word if word.starts_with(|ch: char| ch == '_' || ch.is_alphabetic()) => {
                if word != "self" {
                    path.push(toks[*i].clone());
                }
                *i += 1;
                if text(*i) == "::" {
                    *i += 1;
                    continue;
                } else if text(*i) == "as" {
                    *i += 2;
                }
            }
            _ => {}
        }
        if let Some((_, line)) = path.get(1).or(path.first()) {
            out.push((*line, path.iter().map(|t| t.0.clone()).collect()));
        }
        return;
    }
}

/// One `.rs` file under `src/`: its path components below `src/` and its text.
struct SourceFile {
    parts: Vec<String>,
    text: String,
}

impl SourceFile {
    /// The top-level module: `src/foo.rs`, `src/foo/bar.rs` and `src/foo/bar/baz.rs` → `foo`.
    fn owner(&self) -> &str {
        self.parts[0].trim_end_matches(".rs")
    }
    fn shown(&self) -> String {
        format!("src/{}", self.parts.join("/"))
    }
    /// The file name without `.rs`, and the directories it is in below `src/`.
    fn stem_and_dirs(&self) -> (&str, &[String]) {
        let (name, dirs) = self.parts.split_last().unwrap();
        (name.trim_end_matches(".rs"), dirs)
    }
    /// `routes.rs`, `*_routes.rs` and anything in a `routes/` directory.
    fn is_route_file(&self) -> bool {
        let (stem, dirs) = self.stem_and_dirs();
        stem == "routes" || stem.ends_with("_routes") || dirs.iter().any(|d| d == "routes")
    }
    /// `model.rs`, `repo.rs` and anything in a `model/` or `repo/` directory.
    fn is_model_or_repo(&self) -> bool {
        let (stem, dirs) = self.stem_and_dirs();
        let named = |n: &str| n == "model" || n == "repo";
        named(stem) || dirs.iter().any(|d| named(d))
    }
    /// The module path, e.g. `src/ordering/checkout_routes.rs` → `ordering::checkout_routes`.
    fn module_path(&self) -> Vec<String> {
        let path = self.parts.iter().map(|p| p.trim_end_matches(".rs"));
        path.filter(|p| *p != "mod").map(String::from).collect()
    }
}

/// Every `src/**/*.rs`, in a stable order.
fn source_files() -> Vec<SourceFile> {
    fn walk(dir: &Path, parts: &mut Vec<String>, out: &mut Vec<SourceFile>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let mut paths: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            parts.push(path.file_name().unwrap().to_string_lossy().into_owned());
            if path.is_dir() {
                walk(&path, parts, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push(SourceFile {
                    parts: parts.clone(),
                    text,
                });
            }
            parts.pop();
        }
    }
    let src = Path::new(option_env!("CARGO_MANIFEST_DIR").unwrap_or(".")).join("src");
    let mut out = Vec::new();
    walk(&src, &mut Vec::new(), &mut out);
    assert!(!out.is_empty(), "no .rs files under {}", src.display());
    out
}

/// A `crate::` path in a non-root file: where (`src/x.rs:12`), the importing and the imported
/// top-level module, and the path. `crate::X` where `X` is no module names an item of the crate
/// root, so it counts as an import of `lib`: import such items from their own module.
struct Import {
    at: String,
    owner: String,
    target: String,
    path: Vec<String>,
}

fn imports(files: &[SourceFile]) -> Vec<Import> {
    let modules: BTreeSet<&str> = files.iter().map(SourceFile::owner).collect();
    let mut out = Vec::new();
    for f in files.iter().filter(|f| !ROOTS.contains(&f.owner())) {
        for (line, path) in crate_paths(&f.text) {
            let target = modules.get(path[1].as_str()).unwrap_or(&"lib").to_string();
            let (at, owner) = (format!("{}:{line}", f.shown()), f.owner().to_string());
            out.push(Import {
                at,
                owner,
                target,
                path,
            });
        }
    }
    out.retain(|imp| imp.owner != imp.target);
    out
}

/// Fails listing every offence, so that one run shows the whole job.
fn report(rule: &str, offences: Vec<String>) {
    let (n, list) = (offences.len(), offences.join("\n"));
    assert!(n == 0, "{rule}: {n} offence(s)\n{list}\n");
}

#[test]
fn no_import_points_up_or_sideways_outside_the_plan() {
    let mut offences = Vec::new();
    for imp in imports(&source_files()) {
        let (from, to) = (imp.owner.as_str(), imp.target.as_str());
        if !may_import(from, to) {
            let (a, b, path) = (layer_name(from), layer_name(to), imp.path.join("::"));
            let unplanned = layer_of(from).is_none() || layer_of(to).is_none();
            let hint = if unplanned {
                "; add it to the house plan"
            } else {
                ""
            };
            let at = &imp.at;
            offences.push(format!(
                "{at} {from} ({a}) imports {path} ({b}): not allowed by the house plan{hint}"
            ));
        }
    }
    report("imports outside the house plan", offences);
}

#[test]
fn top_level_modules_form_no_import_circle() {
    let imports = imports(&source_files());
    let mut edges: BTreeMap<(&str, &str), Vec<&Import>> = BTreeMap::new();
    for imp in &imports {
        let edge = (imp.owner.as_str(), imp.target.as_str());
        edges.entry(edge).or_default().push(imp);
    }
    // With some thirty modules, plain reachability is enough: a module that can reach itself
    // is in a circle, whose members are the modules it reaches that also reach it.
    let reach = |from| {
        let (mut seen, mut todo) = (BTreeSet::new(), vec![from]);
        while let Some(v) = todo.pop() {
            let next = edges.keys().filter(|(f, _)| *f == v).map(|(_, t)| *t);
            todo.extend(next.filter(|t| seen.insert(*t)));
        }
        seen
    };
    let reach: BTreeMap<&str, BTreeSet<&str>> =
        edges.keys().map(|(f, _)| (*f, reach(*f))).collect();
    let mut circles = BTreeSet::new();
    for (v, seen) in &reach {
        let back = |w: &&&str| reach.get(**w).is_some_and(|r| r.contains(v));
        circles.insert(seen.iter().filter(back).copied().collect::<Vec<_>>());
    }
    let mut offences = Vec::new();
    for circle in circles.into_iter().filter(|c| c.len() > 1) {
        let mut text = format!("circle among {}:", circle.join(", "));
        for ((from, to), uses) in &edges {
            if circle.contains(from) && circle.contains(to) {
                let (at, path, n) = (&uses[0].at, uses[0].path.join("::"), uses.len());
                text += &format!("\n  {from} -> {to}: {at} {path} ({n} use(s))");
            }
        }
        offences.push(text);
    }
    report("import circles between top-level modules", offences);
}

/// Every line of the chosen files holding an identifier that `bad` matches.
fn lines_with(files: fn(&SourceFile) -> bool, bad: fn(&str) -> bool, why: &str) -> Vec<String> {
    let mut offences = Vec::new();
    for f in source_files().iter().filter(|f| files(f)) {
        let lines: BTreeSet<usize> = tokens(&f.text)
            .iter()
            .filter(|t| bad(&t.0))
            .map(|t| t.1)
            .collect();
        offences.extend(lines.iter().map(|l| format!("{}:{l} {why}", f.shown())));
    }
    offences
}

#[test]
fn route_files_do_not_touch_diesel() {
    let why = "uses diesel: route handlers call services, queries live in repos";
    let offences = lines_with(SourceFile::is_route_file, |w| w == "diesel", why);
    report("route files using diesel", offences);
}

#[test]
fn models_and_repos_know_nothing_of_the_web() {
    // `actix_web`, `actix_session`, … and `tracing_actix_web` too.
    let actix = |w: &str| w.starts_with("actix") || w.contains("_actix");
    let why = "uses actix: models and repos must work without a web server (jobs, cli, tests)";
    let offences = lines_with(SourceFile::is_model_or_repo, actix, why);
    report("models and repos using the web", offences);
}

#[test]
fn route_files_of_one_capability_are_not_imported_by_another() {
    let files = source_files();
    let in_layer = |m: &str, layer: &str| layer_of(m).is_some_and(|(_, name)| name == layer);
    // Route modules as they are on disk, e.g. `ordering::checkout_routes` or `x::routes`.
    let routes: Vec<Vec<String>> = files
        .iter()
        .filter(|f| in_layer(f.owner(), "capabilities") && f.is_route_file())
        .map(SourceFile::module_path)
        .collect();
    let mut offences = Vec::new();
    for imp in imports(&files) {
        // Entry code (startup) is where routes are registered.
        if !in_layer(&imp.owner, "entry") && routes.iter().any(|r| imp.path[1..].starts_with(r)) {
            let (at, owner, path) = (imp.at, imp.owner, imp.path.join("::"));
            let why = "route modules are for their own capability and startup only";
            offences.push(format!("{at} {owner} imports {path}: {why}"));
        }
    }
    report("route modules used across capabilities", offences);
}

#[test]
fn the_plan_names_every_top_level_module() {
    let files = source_files();
    let on_disk: BTreeSet<&str> = files.iter().map(SourceFile::owner).collect();
    let mut offences: Vec<String> = (on_disk.iter().filter(|m| layer_of(m).is_none()))
        .map(|m| format!("src/{m} is in no layer: add it to the house plan"))
        .collect();
    let mut seen = BTreeSet::new();
    for m in LAYERS.iter().flat_map(|(_, ms)| *ms) {
        if !seen.insert(m) {
            offences.push(format!("{m} is in LAYERS more than once"));
        }
    }
    for (from, allowed) in SAME_LAYER {
        for to in std::iter::once(from).chain(*allowed) {
            match (layer_of(from), layer_of(to)) {
                (_, None) => offences.push(format!("SAME_LAYER names {to}, which is in no layer")),
                (Some((a, _)), Some((b, _))) if a != b => offences.push(format!(
                    "SAME_LAYER lets {from} import {to} of another layer"
                )),
                _ => {}
            }
        }
    }
    report("the house plan itself", offences);
}

#[test]
fn the_scanner_sees_nested_use_trees_and_inline_paths_but_not_comments() {
    let sample = r##"
//! crate::docs are prose
use crate::{a::b, c::{d, e}};
pub use crate::f::G as H;
pub(crate) use crate::{
    g::*,
    web::{self, page},
};
/// crate::doc on an item
fn x<'a>(s: &'a str) -> char {
    // crate::z
    let _ = "crate::s \" crate::s2";
    /* crate::q /* nested crate::n */ crate::q2 */
    let _ = r#"crate::r "quoted" crate::r2"#;
    let _ = (b'"', '\'', '"', b"crate::bs", '\u{e9}');
    crate::h::i(s);
    'outer: loop { break 'outer; }
    crate::k::L::<u8>::new();
    let r#type = crate::p::q;
    crate::m::n()
}
"##;
    let found = crate_paths(sample);
    let tops: BTreeSet<&str> = found.iter().map(|(_, p)| p[1].as_str()).collect();
    let expected = BTreeSet::from(["a", "c", "f", "g", "web", "h", "k", "p", "m"]);
    assert_eq!(tops, expected, "found {found:?}");
    let full: BTreeSet<String> = found.iter().map(|(_, p)| p.join("::")).collect();
    let nested = "a::b c::d c::e f::G g web web::page h::i k::L p::q";
    for p in nested.split(' ').map(|p| format!("crate::{p}")) {
        assert!(full.contains(&p), "{p} missing from {full:?}");
    }
    let line_of = |m: &str| found.iter().find(|(_, p)| p[1] == m).unwrap().0;
    let lines = [line_of("g"), line_of("web"), line_of("h"), line_of("m")];
    assert_eq!(lines, [6, 7, 16, 20]);
}
