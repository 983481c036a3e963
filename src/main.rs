//! The `prefectc` command line: parses arguments, calls the library, prints,
//! and sets the exit code (0 ok, 1 errors in the input, 2 usage or I/O).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use prefectc::diagnostics::{self, IntoDiagnostic, json, render, sarif};
use prefectc::source::{self, FsLoader};
use prefectc::{Options, Output};

#[derive(Parser)]
#[command(
    name = "prefectc",
    version,
    about = "Compiles a .pfk Prefect site into Kubernetes YAML"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other CI viewers.
    Sarif,
}

/// What `--deny` turns into errors.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Deny {
    /// Every warning, policy findings included.
    Warnings,
}

#[derive(clap::Args)]
struct Input {
    /// The site file; `-` reads standard input.
    file: PathBuf,
    #[command(flatten)]
    settings: Settings,
    /// How diagnostics are printed.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Fails the build (exit 1) on warnings too.
    #[arg(long, value_enum)]
    deny: Option<Deny>,
    /// Writes the diagnostics report (in `--format`) to FILE instead of
    /// standard error (`build`) or standard output (`check`).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
}

/// What a build is given besides its file: the same for `build`, `check`,
/// and both sides of `diff`.
#[derive(clap::Args)]
struct Settings {
    /// Sets a param: `--param env=prod`.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// Sets params from JSON: Argo CD's `ARGOCD_APP_PARAMETERS` list
    /// (`[{"name": "env", "string": "prod"}]`) or an object
    /// (`{"env": "prod"}`). `--param` wins over it.
    #[arg(long = "params-json", value_name = "JSON")]
    params_json: Option<String>,
    /// The date waiver expiry is judged against (default: the day of
    /// `SOURCE_DATE_EPOCH` when set, else today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    today: Option<String>,
    /// The Kubernetes minor version to target, overriding `site.kubernetes`.
    #[arg(long, value_name = "1.MINOR", value_parser = parse_minor)]
    kubernetes: Option<String>,
    /// The most components the site may declare (default 11000). A larger
    /// site raises the other budgets of evaluation with it; a smaller
    /// number refuses sites larger than a team allows (E0313).
    #[arg(long, value_name = "N", value_parser = prefectc::limits::parse_max_components)]
    max_components: Option<usize>,
}

/// The language `graph` draws in.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GraphFormat {
    /// Graphviz: `prefectc graph site.pfk | dot -Tsvg > site.svg`.
    Dot,
    /// A Mermaid flowchart, for Markdown (GitHub renders it).
    Mermaid,
}

/// How `diff` prints what changes.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    /// One line per object and per changed field.
    Human,
    /// One JSON document: added, removed, changed (with fields and refusals).
    Json,
}

/// `1.35`: a Kubernetes minor version.
fn parse_minor(s: &str) -> Result<String, String> {
    match s.split_once('.') {
        Some((major, minor))
            if !major.is_empty()
                && !minor.is_empty()
                && major
                    .bytes()
                    .chain(minor.bytes())
                    .all(|b| b.is_ascii_digit()) =>
        {
            Ok(s.to_string())
        }
        _ => Err(format!(
            "`{s}` is not a Kubernetes minor version like `1.35`"
        )),
    }
}

/// `--today`: a day that exists, `YYYY-MM-DD`.
fn parse_date(s: &str) -> Result<String, String> {
    match prefectc::calendar::parse_date(s) {
        Ok(_) => Ok(s.to_string()),
        Err(e) => Err(format!("`{s}` is not a date: {e}")),
    }
}

#[derive(Subcommand)]
enum Command {
    /// Checks the site and prints its Kubernetes YAML (or writes it with -o).
    Build {
        #[command(flatten)]
        input: Input,
        /// Writes one file per object and a kustomization.yaml into DIR, atomically.
        #[arg(short = 'o', long = "output", value_name = "DIR")]
        output: Option<PathBuf>,
        /// With -o: writes nothing; lists what differs in DIR and exits with
        /// 1 when DIR is not what the build would write.
        #[arg(long, requires = "output")]
        check: bool,
    },
    /// Shows what changes between two builds, field by field.
    ///
    /// Lists the objects added, removed or changed, every changed field with
    /// its old and new value (a Secret's data is never shown), and the
    /// changes Kubernetes refuses to make in place with what to do instead.
    /// OLD and NEW are each a .pfk file (both built with the same --param,
    /// --kubernetes and --today), a directory written by `build -o`, or a
    /// .yaml file. Exit 0 when nothing changes, 1 when something does, 2 on
    /// errors.
    Diff {
        /// The objects before: a .pfk file, a `build -o` directory or a .yaml file.
        old: PathBuf,
        /// The objects after, in any of the same forms.
        new: PathBuf,
        #[command(flatten)]
        settings: Settings,
        /// How the changes are printed.
        #[arg(long, value_enum, default_value = "human")]
        format: DiffFormat,
    },
    /// Draws the site's topology (Graphviz DOT or Mermaid).
    ///
    /// The workloads, the Ingress or Gateway, the Secrets each reads, the
    /// pools the workers poll, the namespaces their flow runs start in, and
    /// the connections the NetworkPolicies allow. Diagnostics and exit codes
    /// are `build`'s.
    Graph {
        /// The site file; `-` reads standard input.
        file: PathBuf,
        #[command(flatten)]
        settings: Settings,
        /// The language of the drawing.
        #[arg(long, value_enum, default_value = "dot")]
        format: GraphFormat,
    },
    /// Checks the site without emitting anything.
    Check {
        #[command(flatten)]
        input: Input,
    },
    /// Rewrites files in the canonical layout (`-` formats standard input to
    /// standard output).
    Fmt {
        /// The files to format.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Rewrites nothing: prints each file that would change, and exits
        /// with 1 if any would.
        #[arg(long)]
        check: bool,
    },
    /// Runs the language server on standard input and output (for editors:
    /// see docs/editors.md).
    Lsp {
        /// Accepted for clients that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
    /// Turns a Helm release's values into a .pfk site (docs/migrating-from-helm.md).
    ///
    /// CHART is prefect-server, prefect-worker, prometheus-prefect-exporter or
    /// prefect-agent. The values merge as Helm merges them: the chart's
    /// defaults, each -f in order, then --set. The site goes to standard
    /// output; diagnostics (every key not carried over, at its line and
    /// column) and the `kubectl create secret` commands for the credentials
    /// it does not copy go to standard error. Exit 1 on errors.
    Import {
        /// The chart the values are for.
        chart: String,
        /// A values file; repeat for more (later files win).
        #[arg(
            short = 'f',
            long = "values",
            value_name = "VALUES.yaml",
            required = true
        )]
        values: Vec<PathBuf>,
        /// Sets a value in Helm's syntax: `a.b=c`, `list[0]=x`, `a=x\,y`.
        #[arg(long = "set", value_name = "KEY=VALUE")]
        sets: Vec<String>,
        /// The Helm release name (default: the chart's usual one, e.g. `prefect`).
        #[arg(long, value_name = "NAME")]
        release: Option<String>,
        /// The release namespace.
        #[arg(long, short = 'n', value_name = "NS", default_value = "default")]
        namespace: String,
        /// The Prefect release the pods run, for a floating image tag.
        #[arg(long, value_name = "X.Y.Z")]
        prefect: Option<String>,
        /// Adds the release's component to this site file (rewritten in
        /// place, formatted) instead of printing a new site.
        #[arg(long, value_name = "SITE.pfk")]
        into: Option<PathBuf>,
    },
    /// Prints the long explanation of a diagnostic code.
    Explain {
        /// A code such as E0301.
        code: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    prefectc::limits::with_enough_stack(move || run_command(cli)).unwrap_or(ExitCode::from(101))
}

fn run_command(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Explain { code } => match diagnostics::explanation(&code) {
            Some(text) => {
                stdout(text);
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("error: no diagnostic code `{code}`");
                ExitCode::from(2)
            }
        },
        Command::Check { input } => run(&input, None, false),
        Command::Import {
            chart,
            values,
            sets,
            release,
            namespace,
            prefect,
            into,
        } => import(
            &chart,
            &values,
            sets,
            release,
            namespace,
            prefect,
            into.as_deref(),
        ),
        Command::Graph {
            file,
            settings,
            format,
        } => graph(&file, &settings, format),
        Command::Diff {
            old,
            new,
            settings,
            format,
        } => diff(&old, &new, &settings, format),
        Command::Lsp { stdio: _ } => match prefectc::lsp::run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: language server: {e}");
                ExitCode::from(2)
            }
        },
        Command::Fmt { files, check } => fmt(&files, check),
        Command::Build {
            input,
            output,
            check,
        } => {
            let output = output.as_deref().map(|dir| (dir, check));
            run(&input, output, true)
        }
    }
}

/// `output`: `-o DIR`, and whether `--check` only compares with it.
fn run(input: &Input, output: Option<(&Path, bool)>, emit: bool) -> ExitCode {
    let options = match options(&input.settings) {
        // Nothing here reads the syntax trees.
        Ok(options) => Options {
            without_trees: true,
            ..options
        },
        Err(code) => return code,
    };
    // A large build's page faults, on the other core, and no fast bins to
    // merge in one go (src/pages.rs).
    prefectc::pages::no_fast_bins();
    let _ahead = prefectc::pages::Ahead::start_for(&input.file);
    let (out, root) = match build_file(&input.file, &options) {
        Ok(built) => built,
        Err(code) => return code,
    };
    // The process ends after this command: its exit reclaims the build's
    // memory at once, where dropping a large site's objects one by one
    // cost more than writing them.
    let out = std::mem::ManuallyDrop::new(out);
    // Human diagnostics are for a terminal: standard error. `build` keeps
    // standard output for the YAML stream, so that a generator (Argo CD,
    // Flux, a pipe into kubectl) reads only objects; `check` emits nothing,
    // and its JSON or SARIF report is its output.
    let sink = match &input.report {
        Some(file) => Sink::File(file),
        None if emit || input.format == Format::Human => Sink::Stderr,
        None => Sink::Stdout,
    };
    if let Err(e) = report(&out, input.format, sink) {
        eprintln!("error: cannot write the report: {e}");
        return ExitCode::from(2);
    }
    if out.has_errors() || (input.deny == Some(Deny::Warnings) && out.has_warnings()) {
        return ExitCode::from(1);
    }
    let Some(objects) = out.objects.as_deref().filter(|_| emit) else {
        return ExitCode::SUCCESS;
    };
    // Objects exist only for a checked site.
    let namespace = out
        .site
        .as_ref()
        .map(|s| s.settings().namespace.value.clone())
        .unwrap_or_default();
    match output {
        Some((dir, true)) => match prefectc::emit::compare_dir(objects, &namespace, dir) {
            Ok(differences) if differences.is_empty() => {}
            Ok(differences) => {
                let mut text = String::new();
                for d in &differences {
                    text.push_str(&format!("{}: {d}\n", dir.display()));
                }
                stdout(&text);
                eprintln!(
                    "error: {} is not what this build writes ({} difference{}); run without --check to write it",
                    dir.display(),
                    differences.len(),
                    if differences.len() == 1 { "" } else { "s" }
                );
                return ExitCode::from(1);
            }
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", dir.display());
                return ExitCode::from(2);
            }
        },
        Some((dir, false)) => {
            match prefectc::emit::write_dir(objects, &namespace, dir, &input_paths(&out, &root)) {
                Ok(()) => {}
                Err(e @ prefectc::emit::OutputError::Refused { .. }) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
                Err(e) => {
                    eprintln!("error: cannot write {}: {e}", dir.display());
                    return ExitCode::from(2);
                }
            }
        }
        None => {
            // A reader that went away (`| head`) is not an error worth a panic.
            // Unbuffered: the writer gathers its documents itself.
            let mut w = std::io::stdout().lock();
            let _ = prefectc::emit::write_yaml(objects, &mut w);
        }
    }
    ExitCode::SUCCESS
}

/// The build options of `--param`, `--params-json`, `--today` (default: the
/// day of `SOURCE_DATE_EPOCH`) and `--kubernetes`; a usage error is printed
/// and is exit 2.
fn options(settings: &Settings) -> Result<Options, ExitCode> {
    let mut options = Options {
        today: settings.today.clone(),
        kubernetes: settings.kubernetes.clone(),
        limits: settings
            .max_components
            .map_or_else(Default::default, prefectc::limits::Limits::with_components),
        ..Options::default()
    };
    if let Some(json) = &settings.params_json {
        match params_from_json(json) {
            Ok(params) => options.params.extend(params),
            Err(why) => {
                eprintln!("error: --params-json: {why}");
                return Err(ExitCode::from(2));
            }
        }
    }
    for p in &settings.params {
        let Some((k, v)) = p.split_once('=') else {
            eprintln!("error: `--param {p}` needs the form NAME=VALUE");
            return Err(ExitCode::from(2));
        };
        options.params.insert(k.to_string(), v.to_string());
    }
    if options.today.is_none() {
        match source_date_epoch() {
            Ok(today) => options.today = today,
            Err(e) => {
                eprintln!("error: {e}");
                return Err(ExitCode::from(2));
            }
        }
    }
    Ok(options)
}

/// Reads and builds a site file (`-`: standard input); the error is exit 2
/// after printing why. Also returns the project root imports are read from.
fn build_file(file: &Path, options: &Options) -> Result<(Output, PathBuf), ExitCode> {
    let (name, bytes, root) = if file.as_os_str() == "-" {
        match source::read_capped(std::io::stdin().lock()) {
            Ok(bytes) => ("<stdin>".to_string(), bytes, PathBuf::from(".")),
            Err(e) => {
                eprintln!("error: cannot read standard input: {e}");
                return Err(ExitCode::from(2));
            }
        }
    } else {
        match source::read_regular_file(file) {
            Ok(bytes) => {
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let root = file
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| PathBuf::from("."));
                (name, bytes, root)
            }
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", file.display());
                return Err(ExitCode::from(2));
            }
        }
    };
    let loader = FsLoader { root: root.clone() };
    Ok((prefectc::build_bytes(&name, bytes, &loader, options), root))
}

/// `prefectc import CHART -f VALUES…`: the site on standard output, the
/// diagnostics and the `kubectl` commands on standard error; exit 1 when
/// there is an error in the values, 2 when a file cannot be read.
fn import(
    chart: &str,
    values: &[PathBuf],
    sets: Vec<String>,
    release: Option<String>,
    namespace: String,
    prefect: Option<String>,
    into: Option<&Path>,
) -> ExitCode {
    use prefectc::import::{Chart, Request};
    let Some(chart) = Chart::parse(chart) else {
        eprintln!(
            "error: `{chart}` is not a chart prefectc imports (prefect-server, prefect-worker, prometheus-prefect-exporter, prefect-agent)"
        );
        return ExitCode::from(2);
    };
    let (mut files, mut into_text) = (Vec::new(), None);
    for (i, path) in values.iter().map(PathBuf::as_path).chain(into).enumerate() {
        match source::read_regular_file(path).map(String::from_utf8) {
            Ok(Ok(text)) if i == values.len() => {
                into_text = Some((path.display().to_string(), source::strip_bom(text)));
            }
            Ok(Ok(text)) => files.push((path.display().to_string(), source::strip_bom(text))),
            Ok(Err(_)) => {
                eprintln!("error: {} is not UTF-8", path.display());
                return ExitCode::from(2);
            }
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", path.display());
                return ExitCode::from(2);
            }
        }
    }
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    let request = Request {
        chart,
        files,
        sets,
        release: release.unwrap_or_else(|| chart.default_release().to_string()),
        namespace,
        prefect,
        into: into_text,
    };
    let out = prefectc::import::import(&request);
    eprint!(
        "{}",
        render::human(&out.diagnostics, &out.sources, stderr_color())
    );
    let Some(site) = out.site.as_deref().filter(|_| !out.has_errors()) else {
        return ExitCode::from(1);
    };
    let commands = out.kubectl_commands(&names);
    if !commands.is_empty() {
        eprintln!(
            "Create these Secrets before applying the site (values are never copied):\n{commands}"
        );
    }
    eprint!("{}", out.takeover_commands());
    let Some(path) = into else {
        stdout(site);
        return ExitCode::SUCCESS;
    };
    match prefectc::import::replace_file(path, site) {
        Ok(()) => {
            eprintln!("added the release to {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            ExitCode::from(2)
        }
    }
}

/// `prefectc graph FILE`: the drawing on standard output; diagnostics on
/// standard error as `build` prints them, exit 1 when the site does not
/// build, 2 on usage and I/O errors.
fn graph(file: &Path, settings: &Settings, format: GraphFormat) -> ExitCode {
    let options = match options(settings) {
        Ok(options) => options,
        Err(code) => return code,
    };
    let (out, _) = match build_file(file, &options) {
        Ok(built) => built,
        Err(code) => return code,
    };
    eprint!(
        "{}",
        render::human(&out.diagnostics, &out.sources, stderr_color())
    );
    let (Some(site), Some(objects)) = (&out.site, out.objects.as_deref()) else {
        return ExitCode::from(1);
    };
    if out.has_errors() {
        return ExitCode::from(1);
    }
    let graph = prefectc::graph::graph(site, objects);
    stdout(&match format {
        GraphFormat::Dot => graph.dot(),
        GraphFormat::Mermaid => graph.mermaid(),
    });
    ExitCode::SUCCESS
}

/// `prefectc diff OLD NEW`: exit 0 when nothing changes, 1 when something
/// does, 2 when a side cannot be read or built (its diagnostics go to
/// standard error, as `build` prints them).
fn diff(old: &Path, new: &Path, settings: &Settings, format: DiffFormat) -> ExitCode {
    let options = match options(settings) {
        Ok(options) => options,
        Err(code) => return code,
    };
    let (before, after) = match (diff_side(old, &options), diff_side(new, &options)) {
        (Ok(before), Ok(after)) => (before, after),
        _ => return ExitCode::from(2),
    };
    let report = prefectc::diff::compare(&before, &after);
    stdout(&match format {
        DiffFormat::Human => report.human(),
        DiffFormat::Json => report.json(),
    });
    if report.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// One side of `diff`: a directory or `.yaml` file read as objects, or a
/// site built. Problems are printed; the error is exit 2.
fn diff_side(path: &Path, options: &Options) -> Result<prefectc::diff::Manifest, ExitCode> {
    use prefectc::diff::{self, Manifest, ReadError};
    if diff::read::is_manifest(path) {
        let mut sources = source::SourceMap::default();
        return match diff::read::read_path(path, &mut sources) {
            Ok(manifest) => Ok(manifest),
            Err(ReadError::Invalid(diags)) => {
                eprint!("{}", render::human(&diags, &sources, stderr_color()));
                Err(ExitCode::from(2))
            }
            Err(e @ ReadError::Io(..)) => {
                eprintln!("error: {e}");
                Err(ExitCode::from(2))
            }
        };
    }
    let (out, _) = build_file(path, options)?;
    eprint!(
        "{}",
        render::human(&out.diagnostics, &out.sources, stderr_color())
    );
    match out.objects.as_deref().filter(|_| !out.has_errors()) {
        Some(objects) => Manifest::from_values(diff::values(objects)).map_err(|id| {
            eprintln!(
                "error: {} builds {id} twice (a bug in prefectc)",
                path.display()
            );
            ExitCode::from(2)
        }),
        None => {
            eprintln!(
                "error: {} does not build; nothing to compare",
                path.display()
            );
            Err(ExitCode::from(2))
        }
    }
}

/// The params of `--params-json`: Argo CD's list of `{"name", "string"}`
/// (its `ARGOCD_APP_PARAMETERS`), or an object of strings, numbers and
/// booleans. A param is text on the command line, so arrays and maps are
/// refused, not flattened.
fn params_from_json(text: &str) -> Result<Vec<(String, String)>, String> {
    use serde_json::Value;
    let scalar = |name: &str, v: &Value| -> Result<String, String> {
        match v {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            _ => Err(format!(
                "`{name}` is {}; a param takes a string, a number or a boolean",
                match v {
                    Value::Array(_) => "an array",
                    Value::Object(_) => "a map",
                    _ => "null",
                }
            )),
        }
    };
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| Ok((k.clone(), scalar(k, v)?)))
            .collect(),
        Value::Array(items) => items
            .iter()
            .map(|item| {
                let name = item
                    .get("name")
                    .and_then(Value::as_str)
                    .ok_or("every parameter needs a `name` string")?;
                match (item.get("string"), item.get("array"), item.get("map")) {
                    (Some(v), None, None) => Ok((name.to_string(), scalar(name, v)?)),
                    (None, Some(v), _) | (None, None, Some(v)) => Err(scalar(name, v).unwrap_err()),
                    _ => Err(format!("`{name}` needs a `string` value")),
                }
            })
            .collect(),
        _ => Err("expected a list of {\"name\", \"string\"} or an object".into()),
    }
}

/// The files a build read from disk: the root file and its imports (not the
/// standard library, not standard input).
fn input_paths(out: &Output, root: &Path) -> Vec<PathBuf> {
    out.sources
        .files()
        .filter(|(_, f)| !f.name.starts_with('<'))
        .map(|(_, f)| root.join(&f.name))
        .collect()
}

/// How formatting one file went; the exit code is the worst of them.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum FmtOutcome {
    Unchanged,
    /// Rewritten, or (with `--check`) would be.
    Changed,
    /// A syntax error: the file is left alone.
    Invalid,
    /// Unreadable or unwritable, or a formatter bug.
    Failed,
}

fn fmt(files: &[PathBuf], check: bool) -> ExitCode {
    let worst = files
        .iter()
        .map(|f| fmt_file(f, check))
        .max()
        .unwrap_or(FmtOutcome::Unchanged);
    match worst {
        FmtOutcome::Unchanged => ExitCode::SUCCESS,
        FmtOutcome::Changed if !check => ExitCode::SUCCESS,
        FmtOutcome::Changed | FmtOutcome::Invalid => ExitCode::from(1),
        FmtOutcome::Failed => ExitCode::from(2),
    }
}

fn fmt_file(file: &Path, check: bool) -> FmtOutcome {
    let stdin = file.as_os_str() == "-";
    let (name, read) = if stdin {
        let read = source::read_capped(std::io::stdin().lock());
        ("<stdin>".to_string(), read)
    } else {
        (file.display().to_string(), source::read_regular_file(file))
    };
    let bytes = match read {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: cannot read {name}: {e}");
            return FmtOutcome::Failed;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let bad = source::decode(e.into_bytes()).expect_err("not UTF-8");
            let mut sources = prefectc::source::SourceMap::default();
            let id = sources.add(name, bad.lossy.clone());
            let diags = [prefectc::resolve::ResolveError::not_utf8(id, &bad).into_diagnostic()];
            eprint!("{}", render::human(&diags, &sources, stderr_color()));
            return FmtOutcome::Invalid;
        }
    };
    let formatted = match prefectc::format(&text) {
        Ok(f) => f,
        Err(prefectc::FormatError::Syntax(diags)) => {
            let mut sources = prefectc::source::SourceMap::default();
            sources.add(name, source::strip_bom(text));
            eprint!("{}", render::human(&diags, &sources, stderr_color()));
            return FmtOutcome::Invalid;
        }
        Err(prefectc::FormatError::Internal(why)) => {
            eprintln!("error: {name} left as it was: {why} (a bug in prefectc fmt)");
            return FmtOutcome::Failed;
        }
    };
    if formatted == text {
        if stdin && !check {
            stdout(&formatted);
        }
        return FmtOutcome::Unchanged;
    }
    if check {
        println!("{name}");
    } else if stdin {
        stdout(&formatted);
    } else if let Err(e) = write_formatted(file, &formatted) {
        eprintln!("error: cannot write {name}: {e}");
        return FmtOutcome::Failed;
    }
    FmtOutcome::Changed
}

/// Writes the formatted text over `file` without changing what the file is:
/// a symbolic link is followed (the file it points to is rewritten), and
/// the owner, group, permissions and hard links stay. Normally the text is
/// written beside the file and renamed over it, so a failure leaves the old
/// text whole. A file with other hard links, or one whose owner or group
/// the new file cannot be given, is rewritten in place instead (the text is
/// fully computed before the file is truncated).
fn write_formatted(file: &Path, text: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(file)?;
    let meta = std::fs::metadata(&target)?;
    if has_other_links(&meta) {
        return write_in_place(&target, text);
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    if !take_owner(tmp.as_file(), &meta) {
        drop(tmp);
        return write_in_place(&target, text);
    }
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.as_file().set_permissions(meta.permissions())?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// Truncates and rewrites the file itself (its inode, owner and mode stay).
fn write_in_place(target: &Path, text: &str) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(target)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

#[cfg(unix)]
fn has_other_links(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.nlink() > 1
}

#[cfg(not(unix))]
fn has_other_links(_: &std::fs::Metadata) -> bool {
    false
}

/// Gives the new file the owner and group of the old one; `false` if that
/// is not possible (only root may give a file away).
#[cfg(unix)]
fn take_owner(new: &std::fs::File, old: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(now) = new.metadata() else {
        return false;
    };
    if (now.uid(), now.gid()) == (old.uid(), old.gid()) {
        return true;
    }
    std::os::unix::fs::fchown(new, Some(old.uid()), Some(old.gid())).is_ok()
}

#[cfg(not(unix))]
fn take_owner(_: &std::fs::File, _: &std::fs::Metadata) -> bool {
    true
}

fn stderr_color() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

/// Writes to standard output; a reader that went away (`| head`) is not an
/// error worth a panic.
fn stdout(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Where a diagnostics report goes.
#[derive(Clone, Copy)]
enum Sink<'a> {
    Stdout,
    Stderr,
    File(&'a Path),
}

fn report(out: &Output, format: Format, sink: Sink) -> std::io::Result<()> {
    let text = match format {
        Format::Json => {
            let all: Vec<_> = out.diagnostics.iter().chain(&out.waived).cloned().collect();
            json::lines(&all, &out.sources)
        }
        Format::Sarif => sarif::report(&out.diagnostics, &out.waived, &out.sources) + "\n",
        Format::Human => {
            let color = matches!(sink, Sink::Stderr) && stderr_color();
            render::human(&out.diagnostics, &out.sources, color)
        }
    };
    match sink {
        Sink::Stdout => stdout(&text),
        Sink::Stderr => eprint!("{text}"),
        Sink::File(path) => std::fs::write(path, text)?,
    }
    Ok(())
}

/// The day `SOURCE_DATE_EPOCH` (the reproducible-builds convention: seconds
/// since 1970, UTC) falls on, when it is set: the default for `--today`.
fn source_date_epoch() -> Result<Option<String>, String> {
    let Some(value) = std::env::var_os("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let text = value.to_string_lossy();
    let seconds: i64 = text
        .trim()
        .parse()
        .map_err(|_| format!("SOURCE_DATE_EPOCH=`{text}` is not a number of seconds since 1970"))?;
    Ok(Some(prefectc::calendar::date_of_unix_seconds(seconds)))
}
