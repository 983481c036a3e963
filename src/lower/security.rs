//! Hardened security contexts from a component's `security` block, and an
//! extra container's overrides of it.

use super::Ctx;
use super::k8s::*;
use super::meta::tracked;
use crate::model::Located;
use crate::model::schema::{
    AppArmorProfile as AppArmor, ContainerSecurity, FsGroupChangePolicy, ProcMount, SeLinux,
    SeccompProfile as Seccomp, Security,
};

/// A container's own setting, else the component's.
fn either<'a, T>(own: Option<&'a Option<Located<T>>>, component: &'a Located<T>) -> &'a Located<T> {
    own.and_then(Option::as_ref).unwrap_or(component)
}

/// A user or group ID; none on OpenShift, where the SCC assigns them.
fn id(
    ctx: &Ctx,
    own: Option<&Located<i64>>,
    component: Option<&Located<i64>>,
) -> Option<Tracked<i64>> {
    if ctx.openshift {
        return None;
    }
    own.or(component).map(|t| tracked(t.value, t))
}

fn flag(t: &Located<bool>) -> Tracked<bool> {
    tracked(t.value, t)
}

/// `Some` only when the setting is true: the host-sharing switches are
/// omitted unless asked for.
fn only_true(t: &Located<bool>) -> Option<Tracked<bool>> {
    t.value.then(|| tracked(true, t))
}

fn profile<T>(
    t: &Located<T>,
    type_: &'static str,
    localhost: Option<&Located<String>>,
) -> SeccompProfile {
    SeccompProfile {
        type_: tracked(type_, t),
        localhost_profile: localhost
            .filter(|_| type_ == "Localhost")
            .map(|p| p.value.clone()),
    }
}

fn seccomp(t: &Located<Seccomp>, sec: &Security) -> SeccompProfile {
    let type_ = match t.value {
        Seccomp::Localhost => "Localhost",
        Seccomp::Unconfined => "Unconfined",
        Seccomp::RuntimeDefault => "RuntimeDefault",
    };
    profile(t, type_, sec.seccomp_localhost_profile.as_ref())
}

fn apparmor(t: &Located<AppArmor>, sec: &Security) -> AppArmorProfile {
    let type_ = match t.value {
        AppArmor::Localhost => "Localhost",
        AppArmor::Unconfined => "Unconfined",
        AppArmor::RuntimeDefault => "RuntimeDefault",
    };
    profile(t, type_, sec.apparmor_localhost_profile.as_ref())
}

fn se_linux(t: &Located<SeLinux>) -> SeLinuxOptions {
    let text = |f: &Option<Located<String>>| f.as_ref().map(|s| s.value.clone());
    SeLinuxOptions {
        type_: text(&t.type_),
        user: text(&t.user),
        role: text(&t.role),
        level: text(&t.level),
        prov: Some(t.prov.clone()),
    }
}

pub fn pod_security(ctx: &Ctx, sec: &Security) -> PodSecurityContext {
    PodSecurityContext {
        run_as_non_root: Some(flag(&sec.run_as_non_root)),
        run_as_user: id(ctx, None, sec.run_as_user.as_ref()),
        run_as_group: id(ctx, None, sec.run_as_group.as_ref()),
        fs_group: id(ctx, None, sec.fs_group.as_ref()),
        fs_group_change_policy: sec.fs_group_change_policy.as_ref().map(|t| {
            let policy = match t.value {
                FsGroupChangePolicy::OnRootMismatch => "OnRootMismatch",
                FsGroupChangePolicy::Always => "Always",
            };
            tracked(policy.to_string(), t)
        }),
        // Not assigned by OpenShift's SCCs (restricted-v2 allows any), so kept there.
        supplemental_groups: sec
            .supplemental_groups
            .iter()
            .map(|g| tracked(g.value, g))
            .collect(),
        seccomp_profile: Some(seccomp(&sec.seccomp, sec)),
        app_armor_profile: sec
            .apparmor
            .as_ref()
            .map(|t| apparmor(t, sec))
            .map(Box::new),
        se_linux_options: sec.selinux.as_deref().map(se_linux).map(Box::new),
        sysctls: sec
            .sysctls
            .iter()
            .map(|(name, value)| Sysctl {
                name: name.clone(),
                value: value.value.clone(),
                prov: Some(value.prov.clone()),
            })
            .collect(),
        windows_options: only_true(&sec.windows_host_process)
            .map(|host_process| WindowsOptions { host_process })
            .map(Box::new),
    }
}

/// The host namespaces a pod shares: network, PID and IPC, each only when asked.
pub fn host_sharing(sec: &Security) -> [Option<Tracked<bool>>; 3] {
    [
        only_true(&sec.host_network),
        only_true(&sec.host_pid),
        only_true(&sec.host_ipc),
    ]
}

/// The security context of a container of a component whose security is
/// `sec`; `own` are an extra container's overrides.
pub fn container_security(
    ctx: &Ctx,
    sec: &Security,
    own: Option<&ContainerSecurity>,
) -> SecurityContext {
    let add: Vec<Tracked<String>> = either(own.map(|o| &o.add_capabilities), &sec.add_capabilities)
        .iter()
        .map(|c| tracked(c.value.clone(), c))
        .collect();
    let privileged = flag(either(own.map(|o| &o.privileged), &sec.privileged));
    let mut escalation = flag(either(
        own.map(|o| &o.allow_privilege_escalation),
        &sec.allow_privilege_escalation,
    ));
    // Kubernetes rejects allowPrivilegeEscalation false next to privileged
    // or CAP_SYS_ADMIN: the default gives way to what was asked for.
    let sys_admin = add
        .iter()
        .find(|c| c.value.trim_start_matches("CAP_") == "SYS_ADMIN");
    let forced_by = if privileged.value {
        Some(&privileged.prov)
    } else {
        sys_admin.map(|c| &c.prov)
    };
    if let Some(cause) = forced_by
        && escalation.prov.is_default()
    {
        escalation = Tracked {
            value: true,
            prov: cause.clone(),
        };
    }
    let proc_mount = either(own.map(|o| &o.proc_mount), &sec.proc_mount);
    SecurityContext {
        allow_privilege_escalation: escalation,
        capabilities: Capabilities {
            drop: vec!["ALL"],
            add,
        },
        privileged,
        read_only_root_filesystem: flag(either(
            own.map(|o| &o.read_only_root_filesystem),
            &sec.read_only_root_filesystem,
        )),
        run_as_non_root: Some(flag(either(
            own.map(|o| &o.run_as_non_root),
            &sec.run_as_non_root,
        ))),
        run_as_user: id(
            ctx,
            own.and_then(|o| o.run_as_user.as_ref()),
            sec.run_as_user.as_ref(),
        ),
        run_as_group: id(
            ctx,
            own.and_then(|o| o.run_as_group.as_ref()),
            sec.run_as_group.as_ref(),
        ),
        proc_mount: (proc_mount.value == ProcMount::Unmasked)
            .then(|| tracked("Unmasked", proc_mount)),
        seccomp_profile: own
            .and_then(|o| o.seccomp.as_ref())
            .map(|t| seccomp(t, sec)),
        app_armor_profile: own
            .and_then(|o| o.apparmor.as_ref())
            .map(|t| apparmor(t, sec))
            .map(Box::new),
        se_linux_options: own
            .and_then(|o| o.selinux.as_deref())
            .map(se_linux)
            .map(Box::new),
        windows_options: None,
    }
}
