//! The site the language-server benches edit (`benches/lsp.rs`,
//! `benches/keystrokes.rs`): a server, and a pool and a worker per team,
//! about 20 lines a team; in one file, or a root importing a file per team.

use std::path::{Path, PathBuf};

use prefectc::lsp::{Documents, path_to_uri};

pub const HEADER: &str = "site bench {\n  namespace = \"prefect\"\n  prefect   = \"3.4.25\"\n}\n\n\
    server prefect {\n  database = postgres { url = secret(\"db\", \"url\") }\n}\n";

/// A team's pool and worker.
pub fn team(t: usize) -> String {
    format!(
        r#"
/// The jobs of team {t}.
pool pool-{t} {{
  type        = kubernetes
  concurrency = 10
}}

/// The worker of team {t}.
worker team-{t} {{
  pool     = pool-{t}
  api      = prefect
  replicas = 1
  queues   = ["default", "high"]
  env      = {{ "TEAM" = "team-{t}", "STAGE" = "prod" }}
  resources {{
    requests {{ cpu = 100m, memory = 256Mi }}
    limits   {{ cpu = 1, memory = 1Gi }}
  }}
  pod-labels = {{ team = "team-{t}" }}
}}
"#
    )
}

/// A valid site in one file: a server, and a pool and a worker per team.
pub fn site(teams: usize) -> String {
    let mut s = String::from(HEADER);
    for t in 0..teams {
        s.push_str(&team(t));
    }
    s
}

/// One keystroke: `replicas = 1` of the last worker becomes `replicas = 12`.
pub fn keystroke(text: &str) -> String {
    let at = text.rfind("replicas = 1").expect("a worker") + "replicas = 1".len();
    format!("{}2{}", &text[..at], &text[at..])
}

/// The same keystroke in the first worker, which moves every later
/// declaration of the file by one byte (`benches/keystrokes.rs` only).
#[allow(dead_code)]
pub fn keystroke_first(text: &str) -> String {
    let at = text.find("replicas = 1").expect("a worker") + "replicas = 1".len();
    format!("{}2{}", &text[..at], &text[at..])
}

/// Opens `text` at `path` in `documents`.
pub fn open(documents: &mut Documents, path: &Path, text: &str) {
    let uri = path_to_uri(path).expect("a URI");
    documents.open(path.to_path_buf(), uri, text.to_string());
}

/// Where the root is.
pub fn root() -> PathBuf {
    PathBuf::from("/prefectc-bench/site.pfk")
}

/// The site of `teams` teams opened in `documents`, in one file; returns
/// the file a keystroke edits (the root).
pub fn open_one_file(documents: &mut Documents, teams: usize) -> PathBuf {
    open(documents, &root(), &site(teams));
    root()
}

/// The same site in `teams + 1` files: the root imports one file per
/// team; returns the last team's file, which a keystroke edits.
pub fn open_many_files(documents: &mut Documents, teams: usize) -> PathBuf {
    let mut root_text = String::new();
    for t in 0..teams {
        let path = PathBuf::from(format!("/prefectc-bench/teams/team-{t}.pfk"));
        open(documents, &path, &team(t));
        root_text.push_str(&format!("import \"teams/team-{t}.pfk\"\n"));
    }
    root_text.push_str(HEADER);
    open(documents, &root(), &root_text);
    PathBuf::from(format!("/prefectc-bench/teams/team-{}.pfk", teams - 1))
}
