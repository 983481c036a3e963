//! Command-line oracle: the arguments each Prefect process is started with,
//! judged from the emitted YAML against what the site text says, written
//! here from Prefect's CLI (`prefect agent start --help` of Prefect 2.20:
//! `--work-queue` may repeat, `--pool`, `--limit`; with neither a queue nor a
//! pool the agent has nothing to poll, so prefectc names the `default`
//! queue, as the legacy chart's default `workQueues: [default]` did).

mod support;

use support::{build_text, find, objects, pod_template, seq};

/// The main container's args of the agent's Deployment (its command is the
/// image's entrypoint, `tini` and `entrypoint.sh`, which runs them).
fn agent_command_line(agent: &str) -> Vec<String> {
    let text = format!(
        r#"site demo {{
  namespace = "prefect"
  prefect   = "2.20.16"
}}

agent a {{
  api = cloud {{
    account   = "11111111-2222-3333-4444-555555555555"
    workspace = "66666666-7777-8888-9999-000000000000"
    key       = secret("prefect-api-key", "key")
  }}
  {agent}
}}
"#
    );
    let all = objects(&build_text(&text), &text);
    let deployment = find(&all, "Deployment", "a");
    let container = &seq(&pod_template(deployment).expect("a pod")["spec"]["containers"])[0];
    seq(&container["args"])
        .iter()
        .map(|v| v.as_str().expect("a string argument").to_string())
        .collect()
}

fn line(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| (*w).to_string()).collect()
}

#[test]
fn an_agent_polls_the_queues_it_is_given_and_no_other() {
    assert_eq!(
        agent_command_line(r#"queues = ["etl", "ml"]"#),
        line(&[
            "prefect",
            "agent",
            "start",
            "--work-queue",
            "etl",
            "--work-queue",
            "ml"
        ])
    );
}

#[test]
fn an_agent_with_neither_queue_nor_pool_polls_default() {
    assert_eq!(
        agent_command_line(""),
        line(&["prefect", "agent", "start", "--work-queue", "default"])
    );
}

#[test]
fn an_agent_of_a_pool_polls_the_pool_and_its_queues() {
    assert_eq!(
        agent_command_line(r#"pool = "k8s""#),
        line(&["prefect", "agent", "start", "--pool", "k8s"])
    );
    assert_eq!(
        agent_command_line("pool = \"k8s\"\n  queues = [\"etl\"]\n  limit = 4"),
        line(&[
            "prefect",
            "agent",
            "start",
            "--work-queue",
            "etl",
            "--pool",
            "k8s",
            "--limit",
            "4"
        ])
    );
}
