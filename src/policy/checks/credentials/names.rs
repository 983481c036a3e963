//! Names that say a value is a credential, and values that are not one
//! whatever they are called.

/// Values that are not a credential whatever they are called: empty, a
/// switch, a short number, a reference (`$(VAR)`, `${VAR}`, `{{ var }}`)
/// or an absolute file path (`GOOGLE_APPLICATION_CREDENTIALS =
/// "/var/secrets/key.json"`).
pub(super) fn not_a_credential(value: &str) -> bool {
    let v = value.trim();
    v.is_empty()
        || matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null"
        )
        || (v.len() < 6 && v.parse::<f64>().is_ok())
        || placeholder(v)
        || file_path(v)
}

/// `$(VAR)` (Kubernetes), `${VAR}` / `$VAR` (shells), `{{ var }}`
/// (Prefect's job templates), a mask (`***`) or `<password>`.
pub(super) fn placeholder(v: &str) -> bool {
    let ident = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ' ' | '-'))
    };
    let inside = |open: &str, close: &str| {
        v.strip_prefix(open)
            .and_then(|r| r.strip_suffix(close))
            .is_some_and(ident)
    };
    inside("$(", ")")
        || inside("${", "}")
        || inside("{{", "}}")
        || inside("<", ">")
        || v.strip_prefix('$').is_some_and(ident)
        || v.chars().all(|c| c == '*')
}

/// An absolute path of at least two segments (`/var/run/secret`), or of
/// one with an extension (`/key.json`).
fn file_path(v: &str) -> bool {
    let Some(rest) = v.strip_prefix('/') else {
        return false;
    };
    let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let plain = segments.iter().all(|s| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | '+'))
    });
    plain && (segments.len() >= 2 || segments[0].contains('.'))
}

/// The words of a name: split on `_`, `-`, `.`, `/`, spaces and camelCase
/// (`dbPassword` → DB PASSWORD, `APIKey` → API KEY), upper-cased.
pub(super) fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let boundary = c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c.to_ascii_uppercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Whether a name (env var, key, flag) says it holds a credential:
/// `DB_PASSWORD`, `DB_PASS`, `dbPassword`, `PREFECT_API_KEY`, `--api-key`,
/// `GITHUB_TOKEN`, `BASIC_AUTH`. Names of settings *about* a credential
/// (`…_SECRET_NAME`, `…_FILE`, `…_PATH`, `…_URL`, `…_TTL`) do not, nor do
/// words that merely contain one (`PASSTHROUGH`, `BYPASS`).
pub(super) fn credential_name(name: &str) -> bool {
    let words = words(name);
    // Names of settings about a credential, not of the credential itself.
    const ABOUT: &[&str] = &[
        "NAME",
        "NAMES",
        "REF",
        "FILE",
        "PATH",
        "DIR",
        "URL",
        "URI",
        "HOST",
        "PORT",
        "USER",
        "USERNAME",
        "AUDIENCE",
        "LENGTH",
        "MIN",
        "MAX",
        "TTL",
        "EXPIRY",
        "EXPIRATION",
        "ENABLED",
        "DISABLED",
        "TYPE",
        "HEADER",
        "KIND",
        "MODE",
        "ID",
        "SECONDS",
        "TIMEOUT",
        "INTERVAL",
        "DAYS",
        "VERSION",
        "ENDPOINT",
        "PROVIDER",
        "ALGORITHM",
        "REALM",
        "METHOD",
        "STRATEGY",
        "POLICY",
        "SCOPE",
        "SCOPES",
        "SIZE",
        "COUNT",
        "LIMIT",
        "RETRIES",
        "REQUIRED",
    ];
    let Some(last) = words.last() else {
        return false;
    };
    if ABOUT.contains(&last.as_str()) {
        return false;
    }
    // The shell's working directory, not a password.
    if words == ["PWD"] || words == ["OLDPWD"] {
        return false;
    }
    let has = |t: &str| words.iter().any(|w| w == t);
    let pair = |a: &str, b: &str| words.windows(2).any(|w| w[0] == a && w[1] == b);
    const ANYWHERE: &[&str] = &[
        "PASSWORD",
        "PASSWD",
        "PASSPHRASE",
        "PWD",
        "TOKEN",
        "SECRET",
        "APIKEY",
        "CREDENTIAL",
        "CREDENTIALS",
        "CREDS",
        "AUTHSTRING",
        "PRIVATEKEY",
        "ACCESSKEY",
        "SECRETKEY",
    ];
    const BEFORE_KEY: &[&str] = &[
        "API",
        "ACCESS",
        "PRIVATE",
        "SECRET",
        "ENCRYPTION",
        "SIGNING",
        "ACCOUNT",
        "MASTER",
        "CLIENT",
        "LICENSE",
    ];
    ANYWHERE.iter().any(|t| has(t))
        || BEFORE_KEY.iter().any(|a| pair(a, "KEY"))
        || pair("AUTH", "STRING")
        // `DB_PASS`, `BASIC_AUTH`: credentials only as the last word
        // (`PASS_THROUGH`, `AUTH_REALM` are not).
        || matches!(last.as_str(), "PASS" | "AUTH" | "PW")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_names() {
        for yes in [
            "PREFECT_API_KEY",
            "DB_PASSWORD",
            "DB_PASS",
            "dbPassword",
            "db-password",
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "PREFECT_API_AUTH_STRING",
            "apiKey",
            "APIKey",
            "api-key",
            "BASIC_AUTH",
            "SMTP_PWD",
            "client_secret",
            "GCP_CREDENTIALS",
        ] {
            assert!(credential_name(yes), "{yes}");
        }
        for no in [
            "PREFECT_INTEGRATIONS_KUBERNETES_WORKER_API_KEY_SECRET_NAME",
            "PREFECT_API_URL",
            "HOME",
            "PWD",
            "TOKEN_FILE",
            "TOKEN_AUDIENCE",
            "PASSWORD_MIN_LENGTH",
            "KEYBOARD",
            "PASSTHROUGH",
            "PASS_THROUGH",
            "BYPASS",
            "AUTH_REALM",
            "DB_SECRET_NAME",
            "PASSWORD_FILE",
            "CREDENTIALS_PATH",
            "AUTHOR",
            "monkey",
            "secretKeyRef",
        ] {
            assert!(!credential_name(no), "{no}");
        }
    }

    #[test]
    fn words_split_camel_case_and_separators() {
        assert_eq!(words("dbPassword"), ["DB", "PASSWORD"]);
        assert_eq!(words("APIKey"), ["API", "KEY"]);
        assert_eq!(words("PREFECT_API-KEY.x"), ["PREFECT", "API", "KEY", "X"]);
    }

    #[test]
    fn values_that_are_not_credentials() {
        for v in [
            "",
            "true",
            "300",
            "$(DB_PASSWORD)",
            "${DB_PASSWORD}",
            "{{ password }}",
            "/var/run/secrets/token",
            "/key.json",
        ] {
            assert!(not_a_credential(v), "{v}");
        }
        for v in ["hunter2", "/x", "12345678", "changeme"] {
            assert!(!not_a_credential(v), "{v}");
        }
    }
}
