//! The `prefectc` command line: parses arguments, calls the library, prints,
//! and sets the exit code (0 ok, 1 errors in the input, 2 usage or I/O).

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use prefectc::diagnostics::{self, json, render, sarif};
use prefectc::source::FsLoader;
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
    /// Sets a param: `--param env=prod`.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// How diagnostics are printed.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Fails the build (exit 1) on warnings too.
    #[arg(long, value_enum)]
    deny: Option<Deny>,
    /// The date waiver expiry is judged against (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    today: Option<String>,
    /// The Kubernetes minor version to target, overriding `site.kubernetes`.
    #[arg(long, value_name = "1.MINOR", value_parser = parse_minor)]
    kubernetes: Option<String>,
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

fn parse_date(s: &str) -> Result<String, String> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && digits(0..4)
        && digits(5..7)
        && digits(8..10)
    {
        Ok(s.to_string())
    } else {
        Err(format!("`{s}` is not a date of the form YYYY-MM-DD"))
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
    /// Prints the long explanation of a diagnostic code.
    Explain {
        /// A code such as E0301.
        code: String,
    },
}

/// The stack of the thread that runs a command. The nesting limits
/// (`prefectc::limits::MAX_DEPTH`) keep every stage far below the default
/// 8 MiB; a larger stack is defence in depth, not what the limits rely on.
const STACK_BYTES: usize = 64 << 20;

fn main() -> ExitCode {
    let cli = Cli::parse();
    std::thread::Builder::new()
        .name("prefectc".into())
        .stack_size(STACK_BYTES)
        .spawn(move || run_command(cli))
        .expect("a thread for the command")
        .join()
        .unwrap_or(ExitCode::from(101))
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
        Command::Lsp { stdio: _ } => match prefectc::lsp::run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: language server: {e}");
                ExitCode::from(2)
            }
        },
        Command::Fmt { files, check } => fmt(&files, check),
        Command::Build { input, output } => run(&input, output.as_deref(), true),
    }
}

fn run(input: &Input, output: Option<&Path>, emit: bool) -> ExitCode {
    let mut options = Options {
        today: input.today.clone(),
        kubernetes: input.kubernetes.clone(),
        ..Options::default()
    };
    for p in &input.params {
        let Some((k, v)) = p.split_once('=') else {
            eprintln!("error: `--param {p}` needs the form NAME=VALUE");
            return ExitCode::from(2);
        };
        options.params.insert(k.to_string(), v.to_string());
    }
    let (name, text, root) = if input.file.as_os_str() == "-" {
        let mut text = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut text) {
            eprintln!("error: cannot read standard input: {e}");
            return ExitCode::from(2);
        }
        ("<stdin>".to_string(), text, PathBuf::from("."))
    } else {
        match std::fs::read_to_string(&input.file) {
            Ok(t) => {
                let name = input
                    .file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let root = input
                    .file
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| PathBuf::from("."));
                (name, t, root)
            }
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", input.file.display());
                return ExitCode::from(2);
            }
        }
    };
    let out = prefectc::build(&name, text, &FsLoader { root }, &options);
    report(&out, input.format);
    if out.has_errors() || (input.deny == Some(Deny::Warnings) && out.has_warnings()) {
        return ExitCode::from(1);
    }
    let Some(objects) = out.objects.as_deref().filter(|_| emit) else {
        return ExitCode::SUCCESS;
    };
    match output {
        Some(dir) => {
            if let Err(e) = prefectc::emit::write_dir(objects, dir) {
                eprintln!("error: cannot write {}: {e}", dir.display());
                return ExitCode::from(2);
            }
        }
        None => stdout(&prefectc::emit::yaml(objects)),
    }
    ExitCode::SUCCESS
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
        let mut text = String::new();
        let read = std::io::stdin().read_to_string(&mut text).map(|_| text);
        ("<stdin>".to_string(), read)
    } else {
        (file.display().to_string(), std::fs::read_to_string(file))
    };
    let text = match read {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {name}: {e}");
            return FmtOutcome::Failed;
        }
    };
    let formatted = match prefectc::format(&text) {
        Ok(f) => f,
        Err(prefectc::FormatError::Syntax(diags)) => {
            let mut sources = prefectc::source::SourceMap::default();
            sources.add(name, text);
            let color = std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal();
            eprint!("{}", render::human(&diags, &sources, color));
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
    } else if let Err(e) = write_atomically(file, &formatted) {
        eprintln!("error: cannot write {name}: {e}");
        return FmtOutcome::Failed;
    }
    FmtOutcome::Changed
}

/// Writes beside the file and renames over it, keeping its permissions; a
/// symbolic link is followed, so the file it points to is rewritten.
fn write_atomically(file: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let target = std::fs::canonicalize(file)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(&target)?.permissions();
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.as_file().set_permissions(permissions)?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// Writes to standard output; a reader that went away (`| head`) is not an
/// error worth a panic.
fn stdout(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn report(out: &Output, format: Format) {
    match format {
        // Reports go to stdout for tools; check.py reads JSON there.
        Format::Json => {
            let all: Vec<_> = out.diagnostics.iter().chain(&out.waived).cloned().collect();
            stdout(&json::lines(&all, &out.sources));
        }
        Format::Sarif => {
            stdout(&sarif::report(&out.diagnostics, &out.waived, &out.sources));
            stdout("\n");
        }
        Format::Human => {
            let color = std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal();
            eprint!("{}", render::human(&out.diagnostics, &out.sources, color));
        }
    }
}
