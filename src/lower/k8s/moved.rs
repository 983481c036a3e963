//! An object with every span it holds moved: the [`Tracked`] values and
//! the provenances policy rules read, and its origin. A worker's kept
//! lowering is used again after an edit that moved the worker, or what it
//! reads, without changing it (`lower/kept.rs`); its objects' spans must
//! then be where the text now is, or a finding about them would point at
//! the text that was there.
//!
//! Every struct that holds a span is taken apart field by field, so that a
//! span added to one is a compile error here until it is moved.

use std::sync::Arc;

use super::*;
use crate::model::Prov;
use crate::source::Span;

/// Moves spans where `to` says, and remembers one that has no place.
struct Mover<'a> {
    to: &'a dyn Fn(Span) -> Option<Span>,
    lost: bool,
}

impl Mover<'_> {
    fn span(&mut self, span: &mut Span) {
        match (self.to)(*span) {
            Some(now) => *span = now,
            None => self.lost = true,
        }
    }

    fn prov(&mut self, prov: &mut Prov) {
        match prov {
            Prov::Source(span) => self.span(span),
            Prov::Default { component, .. } => self.span(component),
        }
    }

    fn maybe_prov(&mut self, prov: &mut Option<Prov>) {
        if let Some(p) = prov {
            self.prov(p);
        }
    }

    fn tracked<T>(&mut self, t: &mut Tracked<T>) {
        self.prov(&mut t.prov);
    }

    fn maybe<T>(&mut self, t: &mut Option<Tracked<T>>) {
        if let Some(t) = t {
            self.tracked(t);
        }
    }

    fn seccomp(&mut self, p: &mut Option<SeccompProfile>) {
        if let Some(SeccompProfile {
            type_,
            localhost_profile: _,
        }) = p
        {
            self.tracked(type_);
        }
    }

    fn app_armor(&mut self, p: &mut Option<Box<AppArmorProfile>>) {
        if let Some(p) = p {
            let SeccompProfile {
                type_,
                localhost_profile: _,
            } = &mut **p;
            self.tracked(type_);
        }
    }

    fn se_linux(&mut self, o: &mut Option<Box<SeLinuxOptions>>) {
        if let Some(o) = o {
            let SeLinuxOptions {
                type_: _,
                user: _,
                role: _,
                level: _,
                prov,
            } = &mut **o;
            self.maybe_prov(prov);
        }
    }

    fn windows(&mut self, o: &mut Option<Box<WindowsOptions>>) {
        if let Some(o) = o {
            let WindowsOptions { host_process } = &mut **o;
            self.tracked(host_process);
        }
    }

    fn pod(&mut self, spec: &mut PodSpec) {
        let PodSpec {
            service_account_name: _,
            automount_service_account_token,
            host_network,
            host_pid,
            host_ipc,
            restart_policy: _,
            dns_policy: _,
            dns_config: _,
            security_context,
            image_pull_secrets: _,
            node_selector: _,
            tolerations: _,
            scheduling: _,
            init_containers,
            containers,
            volumes,
        } = spec;
        self.tracked(automount_service_account_token);
        for t in [host_network, host_pid, host_ipc] {
            self.maybe(t);
        }
        self.pod_security(security_context);
        for c in init_containers.iter_mut().chain(containers) {
            self.container(c);
        }
        for Volume {
            name: _,
            empty_dir: _,
            persistent_volume_claim: _,
            config_map: _,
            secret: _,
            host_path: _,
            nfs: _,
            projected: _,
            other: _,
            prov,
        } in volumes
        {
            self.maybe_prov(prov);
        }
    }

    fn pod_security(&mut self, s: &mut PodSecurityContext) {
        let PodSecurityContext {
            run_as_non_root,
            run_as_user,
            run_as_group,
            fs_group,
            fs_group_change_policy,
            supplemental_groups,
            seccomp_profile,
            app_armor_profile,
            se_linux_options,
            sysctls,
            windows_options,
        } = s;
        self.maybe(run_as_non_root);
        for t in [run_as_user, run_as_group, fs_group] {
            self.maybe(t);
        }
        self.maybe(fs_group_change_policy);
        for g in supplemental_groups {
            self.tracked(g);
        }
        self.seccomp(seccomp_profile);
        self.app_armor(app_armor_profile);
        self.se_linux(se_linux_options);
        for Sysctl {
            name: _,
            value: _,
            prov,
        } in sysctls
        {
            self.maybe_prov(prov);
        }
        self.windows(windows_options);
    }

    fn container(&mut self, c: &mut Container) {
        let Container {
            name: _,
            image,
            image_pull_policy,
            command: _,
            args: _,
            working_dir: _,
            ports,
            env,
            env_from: _,
            resources,
            security_context,
            startup_probe,
            liveness_probe,
            readiness_probe,
            volume_mounts: _,
            lifecycle: _,
            restart_policy: _,
            prov,
        } = c;
        self.tracked(image);
        self.tracked(image_pull_policy);
        for ContainerPort {
            name: _,
            container_port: _,
            host_port,
            protocol: _,
        } in ports
        {
            self.maybe(host_port);
        }
        for EnvVar {
            name: _,
            value: _,
            value_from: _,
            prov,
        } in env
        {
            self.maybe_prov(prov);
        }
        let ResourceRequirements {
            requests,
            limits,
            prov: resources_prov,
        } = Arc::make_mut(resources);
        for t in requests.values_mut().chain(limits.values_mut()) {
            self.tracked(t);
        }
        self.maybe_prov(resources_prov);
        self.security(Arc::make_mut(security_context));
        for p in [startup_probe, liveness_probe, readiness_probe]
            .into_iter()
            .flatten()
        {
            self.probe(p);
        }
        self.maybe_prov(prov);
    }

    fn security(&mut self, s: &mut SecurityContext) {
        let SecurityContext {
            allow_privilege_escalation,
            capabilities: Capabilities { drop: _, add },
            privileged,
            read_only_root_filesystem,
            run_as_non_root,
            run_as_user,
            run_as_group,
            proc_mount,
            seccomp_profile,
            app_armor_profile,
            se_linux_options,
            windows_options,
        } = s;
        for t in [
            allow_privilege_escalation,
            privileged,
            read_only_root_filesystem,
        ] {
            self.tracked(t);
        }
        for t in add {
            self.tracked(t);
        }
        self.maybe(run_as_non_root);
        for t in [run_as_user, run_as_group] {
            self.maybe(t);
        }
        self.maybe(proc_mount);
        self.seccomp(seccomp_profile);
        self.app_armor(app_armor_profile);
        self.se_linux(se_linux_options);
        self.windows(windows_options);
    }

    fn probe(&mut self, p: &mut Probe) {
        let Probe {
            http_get,
            tcp_socket,
            exec: _,
            initial_delay_seconds: _,
            period_seconds: _,
            timeout_seconds: _,
            failure_threshold: _,
            success_threshold: _,
        } = p;
        if let Some(HttpGet {
            path: _,
            port: _,
            host,
        }) = http_get
        {
            self.maybe(host);
        }
        if let Some(TcpSocket { port: _, host }) = tcp_socket {
            self.maybe(host);
        }
    }

    fn template(&mut self, t: &mut PodTemplate) {
        let PodTemplate { metadata: _, spec } = t;
        self.pod(spec);
    }

    /// A copy of `r` with its spans moved, or `None` when it holds none
    /// (the same resource serves).
    fn resource(&mut self, r: &Resource) -> Option<Resource> {
        let mut r = match r {
            Resource::ServiceAccount(_)
            | Resource::Role(_)
            | Resource::ClusterRole(_)
            | Resource::StatefulSet(_)
            | Resource::Deployment(_)
            | Resource::Job(_) => r.clone(),
            Resource::ConfigMap(_)
            | Resource::RoleBinding(_)
            | Resource::ClusterRoleBinding(_)
            | Resource::Service(_)
            | Resource::PersistentVolumeClaim(_)
            | Resource::HorizontalPodAutoscaler(_)
            | Resource::PodDisruptionBudget(_)
            | Resource::Ingress(_)
            | Resource::NetworkPolicy(_)
            | Resource::Generic(_) => return None,
        };
        match &mut r {
            Resource::ServiceAccount(sa) => self.tracked(&mut sa.automount_service_account_token),
            Resource::Role(role) | Resource::ClusterRole(role) => {
                let mut rules = role.rules.to_vec();
                for rule in &mut rules {
                    self.maybe_prov(&mut rule.prov);
                }
                role.rules = rules.into();
            }
            Resource::StatefulSet(s) => self.template(&mut s.spec.template),
            Resource::Deployment(d) => {
                self.maybe(&mut d.spec.replicas);
                self.template(&mut d.spec.template);
            }
            Resource::Job(j) => self.template(&mut j.spec.template),
            Resource::ConfigMap(_)
            | Resource::RoleBinding(_)
            | Resource::ClusterRoleBinding(_)
            | Resource::Service(_)
            | Resource::PersistentVolumeClaim(_)
            | Resource::HorizontalPodAutoscaler(_)
            | Resource::PodDisruptionBudget(_)
            | Resource::Ingress(_)
            | Resource::NetworkPolicy(_)
            | Resource::Generic(_) => {}
        }
        Some(r)
    }
}

impl Object {
    /// The object with every span it holds moved where `to` says, its
    /// origin included; `None` when `to` finds no place for one. A
    /// resource that holds no span is shared, not copied.
    pub fn moved(&self, to: &dyn Fn(Span) -> Option<Span>) -> Option<Object> {
        let mut mover = Mover { to, lost: false };
        let mut origin = self.origin;
        mover.span(&mut origin);
        let resource = match mover.resource(&self.resource) {
            Some(r) => Arc::new(r),
            None => Arc::clone(&self.resource),
        };
        (!mover.lost).then_some(Object { resource, origin })
    }
}

#[cfg(test)]
mod tests {
    use crate::source::Span;

    /// The starts of every span in `text`, a `{:?}` of objects.
    fn starts(text: &str) -> Vec<u32> {
        text.match_indices("start: ")
            .map(|(i, m)| {
                let digits = &text[i + m.len()..];
                let end = digits.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
                digits[..end].parse().expect("a span's start")
            })
            .collect()
    }

    /// A TCP probe that names its host, which no fixture has.
    const TCP_PROBE_HOST: &str = r#"
site demo {
  namespace = "prefect"
  prefect   = "3.4.25"
}
server prefect { database = sqlite {} }
pool scripts { type = process }
worker w {
  pool = scripts
  api  = prefect
  sidecars = [{
    name  = "proxy"
    image = "envoyproxy/envoy:v1.30.1"
    ports = [{ port = 9901 }]
    liveness-probe = { port = 9901, host = "127.0.0.1" }
  }]
}
"#;

    /// Every object, flow-run Jobs included, lowered from the examples
    /// and the lowering and policy fixtures that check (policy is not run:
    /// a fixture that fails it still has its objects).
    fn every_object() -> Vec<super::Object> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in [
            "examples",
            "tests/fixtures/lowering",
            "tests/fixtures/policy",
        ] {
            let entries = std::fs::read_dir(root.join(dir)).expect("the directory");
            files.extend(entries.filter_map(|e| Some(e.ok()?.path())));
        }
        files.retain(|p| p.extension().is_some_and(|e| e == "pfk"));
        files.sort();
        let texts = files
            .iter()
            .map(|f| std::fs::read_to_string(f).expect("a fixture"))
            .chain([TCP_PROBE_HOST.to_string()]);
        let mut objects = Vec::new();
        for text in texts {
            if let Some(site) = crate::build_text(&text).site {
                let lowered = crate::lower::lower(&site, None);
                objects.extend(lowered.objects);
                objects.extend(lowered.flow_runs);
            }
        }
        objects
    }

    /// Judged by the objects' debug text, not by the mover's own walk:
    /// every span an object holds, found by its `start: `, moves, so a
    /// span field the mover does not visit is caught.
    #[test]
    fn every_span_an_object_holds_moves() {
        let objects = every_object();
        let far = |s: Span| {
            Some(Span {
                start: s.start + 100_000,
                end: s.end + 100_000,
                ..s
            })
        };
        let mut spans = 0;
        for o in &objects {
            let before = starts(&format!("{o:?}"));
            let moved = o.moved(&far).expect("every span has a place");
            let after = starts(&format!("{moved:?}"));
            let expected: Vec<u32> = before.iter().map(|s| s + 100_000).collect();
            assert_eq!(after, expected, "{o:?}");
            spans += before.len();
            // The original is left as it was.
            assert_eq!(starts(&format!("{o:?}")), before);
        }
        // A span with no place: no object.
        let nowhere = |_: Span| None;
        assert!(objects.iter().all(|o| o.moved(&nowhere).is_none()));
        assert!(spans > 10_000, "{spans} spans");
    }
}
