//! Names that say a value is a credential, and values that are not one
//! whatever they are called.

use super::literals::Literals;

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
/// (`dbPassword` → db Password, `APIKey` → API Key), as written: compare
/// them with [`str::eq_ignore_ascii_case`] (a word is ASCII letters and
/// digits only).
pub(super) fn words(name: &str) -> impl Iterator<Item = &str> {
    // Bytes, not chars: every character of a word is ASCII, and no byte of
    // a longer character passes an `is_ascii_*` test, so a neighbour that
    // is not ASCII reads as a separator either way.
    let b = name.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < b.len() && !b[at].is_ascii_alphanumeric() {
            at += 1;
        }
        let start = at;
        while at < b.len() && b[at].is_ascii_alphanumeric() {
            at += 1;
            let c = b.get(at).copied().unwrap_or(0);
            let prev = b[at - 1];
            let next = b.get(at + 1).copied().unwrap_or(0);
            let boundary = c.is_ascii_uppercase()
                && (prev.is_ascii_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_ascii_uppercase() && next.is_ascii_lowercase()));
            if boundary {
                break;
            }
        }
        (start < at).then(|| &name[start..at])
    })
}

/// Whether one of the words of `name` is `word` (upper case).
pub(super) fn has_word(name: &str, word: &str) -> bool {
    words(name).any(|w| w.eq_ignore_ascii_case(word))
}

/// Whether some value could be flagged under `name`, whatever the value:
/// its name says credential, or lets a format count (`private_key`, an
/// AWS secret key next to an `AWS` name). See `credential_in`.
pub(super) fn may_name_credential(name: &str) -> bool {
    // Each word these look for contains one of the pieces (`private_key`
    // KEY): most names have none, and are read once, not word by word.
    static PIECES: Literals = Literals::new(
        &[
            "PASS", "PW", "TOKEN", "SECRET", "KEY", "CRED", "AUTH", "AWS",
        ],
        true,
    );
    let piece = PIECES.any_in(name);
    piece && (name == "private_key" || credential_name(name) || has_word(name, "AWS"))
}

/// Whether a name (env var, key, flag) says it holds a credential:
/// `DB_PASSWORD`, `DB_PASS`, `dbPassword`, `PREFECT_API_KEY`, `--api-key`,
/// `GITHUB_TOKEN`, `BASIC_AUTH`. Names of settings *about* a credential
/// (`…_SECRET_NAME`, `…_FILE`, `…_PATH`, `…_URL`, `…_TTL`) do not, nor do
/// words that merely contain one (`PASSTHROUGH`, `BYPASS`).
pub(super) fn credential_name(name: &str) -> bool {
    // One pass over the words: whether one of them (or a pair) says
    // credential, and the last one.
    let mut says = false;
    let mut last = None;
    let mut count = 0;
    // The word before: `API` (`API_KEY`), `AUTH` (`AUTH_STRING`).
    let mut before = Before::Other;
    for w in words(name) {
        let mut buf = [0; 16];
        let upper = upper(w, &mut buf);
        says = says
            || anywhere(upper)
            || (before == Before::Key && upper == b"KEY")
            || (before == Before::String && upper == b"STRING");
        before = if before_key(upper) {
            Before::Key
        } else if upper == b"AUTH" {
            Before::String
        } else {
            Before::Other
        };
        last = Some(w);
        count += 1;
    }
    let Some(last) = last else {
        return false;
    };
    let mut buf = [0; 16];
    let last = upper(last, &mut buf);
    if about(last) {
        return false;
    }
    // The shell's working directory, not a password.
    if count == 1 && matches!(last, b"PWD" | b"OLDPWD") {
        return false;
    }
    // `DB_PASS`, `BASIC_AUTH`: credentials only as the last word
    // (`PASS_THROUGH`, `AUTH_REALM` are not).
    says || matches!(last, b"PASS" | b"AUTH" | b"PW")
}

#[derive(PartialEq)]
enum Before {
    Key,
    String,
    Other,
}

/// A word upper-cased into `buf`; empty if it is longer than `buf`, as
/// none of the words below is.
fn upper<'b>(word: &str, buf: &'b mut [u8; 16]) -> &'b [u8] {
    let Some(to) = buf.get_mut(..word.len()) else {
        return b"";
    };
    to.copy_from_slice(word.as_bytes());
    to.make_ascii_uppercase();
    to
}

/// Words that say credential wherever they are in a name.
fn anywhere(word: &[u8]) -> bool {
    matches!(
        word,
        b"PASSWORD"
            | b"PASSWD"
            | b"PASSPHRASE"
            | b"PWD"
            | b"TOKEN"
            | b"SECRET"
            | b"APIKEY"
            | b"CREDENTIAL"
            | b"CREDENTIALS"
            | b"CREDS"
            | b"AUTHSTRING"
            | b"PRIVATEKEY"
            | b"ACCESSKEY"
            | b"SECRETKEY"
    )
}

/// Words that say credential before `KEY`.
fn before_key(word: &[u8]) -> bool {
    matches!(
        word,
        b"API"
            | b"ACCESS"
            | b"PRIVATE"
            | b"SECRET"
            | b"ENCRYPTION"
            | b"SIGNING"
            | b"ACCOUNT"
            | b"MASTER"
            | b"CLIENT"
            | b"LICENSE"
    )
}

/// Last words of names of settings about a credential, not of the
/// credential itself.
fn about(word: &[u8]) -> bool {
    matches!(
        word,
        b"NAME"
            | b"NAMES"
            | b"REF"
            | b"FILE"
            | b"PATH"
            | b"DIR"
            | b"URL"
            | b"URI"
            | b"HOST"
            | b"PORT"
            | b"USER"
            | b"USERNAME"
            | b"AUDIENCE"
            | b"LENGTH"
            | b"MIN"
            | b"MAX"
            | b"TTL"
            | b"EXPIRY"
            | b"EXPIRATION"
            | b"ENABLED"
            | b"DISABLED"
            | b"TYPE"
            | b"HEADER"
            | b"KIND"
            | b"MODE"
            | b"ID"
            | b"SECONDS"
            | b"TIMEOUT"
            | b"INTERVAL"
            | b"DAYS"
            | b"VERSION"
            | b"ENDPOINT"
            | b"PROVIDER"
            | b"ALGORITHM"
            | b"REALM"
            | b"METHOD"
            | b"STRATEGY"
            | b"POLICY"
            | b"SCOPE"
            | b"SCOPES"
            | b"SIZE"
            | b"COUNT"
            | b"LIMIT"
            | b"RETRIES"
            | b"REQUIRED"
    )
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
        let words = |n| words(n).collect::<Vec<_>>();
        assert_eq!(words("dbPassword"), ["db", "Password"]);
        assert_eq!(words("APIKey"), ["API", "Key"]);
        assert_eq!(words("PREFECT_API-KEY.x"), ["PREFECT", "API", "KEY", "x"]);
        assert_eq!(
            words("a1B2cD--EFg hIJ"),
            ["a1", "B2c", "D", "E", "Fg", "h", "IJ"]
        );
        assert_eq!(words("é_xÉy"), ["x", "y"]);
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

/// The edges of what is not a credential whatever it is called.
#[cfg(test)]
mod edges {
    use super::{file_path, not_a_credential, placeholder};

    #[test]
    fn short_numbers_references_and_paths_at_their_edges() {
        // A number of five characters is a port or a count; six may be a PIN.
        assert!(not_a_credential("12345"));
        assert!(!not_a_credential("123456"));
        // Each reference form alone, and what is not one.
        for reference in [
            "$(DB_PASS)",
            "${DB_PASS}",
            "{{ db_pass }}",
            "<password>",
            "$DB_PASS",
            "***",
        ] {
            assert!(placeholder(reference), "{reference}");
        }
        for not_a_reference in ["$()", "${}", "${p@ss}", "$(pa$$)", "<p@ss>", "$"] {
            assert!(!placeholder(not_a_reference), "{not_a_reference}");
        }
        // An absolute path of plain segments, none empty.
        assert!(file_path("/var/secrets/key"));
        for not_a_path in ["/var//key", "/var/sec ret/key", "/var/key=1/x"] {
            assert!(!file_path(not_a_path), "{not_a_path}");
        }
    }

    /// `KEY` says credential after `API` (or `ACCESS`, …), not alone, and
    /// `API` makes no other word one.
    #[test]
    fn a_key_word_after_api_only() {
        use super::{credential_name, may_name_credential};
        assert!(credential_name("API_KEY"));
        for no in ["API_VERSION", "API_HOST", "SORT_KEY"] {
            assert!(!credential_name(no), "{no}");
        }
        // And `STRING` only after `AUTH`.
        assert!(credential_name("PREFECT_API_AUTH_STRING"));
        for no in ["AUTH_MODE", "QUERY_STRING", "FORMAT_STRING"] {
            assert!(!credential_name(no), "{no}");
        }
        // A Google service-account key's field: no credential word, but the
        // name lets its value count (`credential_in`).
        assert!(may_name_credential("private_key"));
        assert!(!may_name_credential("public_key"));
    }
}
