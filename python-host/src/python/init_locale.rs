//! The locale a snapshot must be built with. CPython sets `LC_CTYPE` from `LC_ALL`, `LC_CTYPE`
//! or `LANG` while it initialises, and that choice decides its UTF-8 mode and the error handler
//! of its standard streams: a snapshot built without them would give every run the build's.

/// wasi-libc's (musl's) locale when no variable names one, which default snapshots have.
const DEFAULT: &str = "C.UTF-8";

/// The variable (`LC_ALL` or `LC_CTYPE`, with the locale the run's variables select) a
/// snapshot for `env` must be built with: `Some(None)` for the default locale, `None` when a
/// snapshot cannot give it. That is the legacy C locale named by `LC_CTYPE` or `LANG`, which
/// CPython coerces by writing `LC_CTYPE` into the environment (PEP 538): a restored run would
/// lose that write when it takes its own environment.
pub fn locale_var(env: &[(String, String)]) -> Option<Option<(String, String)>> {
    let get = |name: &str| {
        env.iter()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    };
    let (var, locale) = match (get("LC_ALL"), get("LC_CTYPE").or_else(|| get("LANG"))) {
        (Some(all), _) => ("LC_ALL", all),
        (None, Some(ctype)) => ("LC_CTYPE", ctype),
        (None, None) => return Some(None),
    };
    if locale == DEFAULT {
        return Some(None);
    }
    if var == "LC_CTYPE" && matches!(locale, "C" | "POSIX") {
        return None;
    }
    Some(Some((var.to_string(), locale.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> Vec<(String, String)> {
        vars.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn default_locale_needs_nothing() {
        assert_eq!(locale_var(&env(&[])), Some(None));
        assert_eq!(locale_var(&env(&[("LANG", "C.UTF-8")])), Some(None));
        assert_eq!(
            locale_var(&env(&[("LC_ALL", ""), ("LANG", "")])),
            Some(None)
        );
    }

    #[test]
    fn the_variable_that_wins_is_kept() {
        let want = |k: &str, v: &str| Some(Some((k.to_string(), v.to_string())));
        assert_eq!(
            locale_var(&env(&[("LANG", "en_US.UTF-8")])),
            want("LC_CTYPE", "en_US.UTF-8")
        );
        assert_eq!(
            locale_var(&env(&[
                ("LANG", "de_DE.UTF-8"),
                ("LC_CTYPE", "fr_FR.UTF-8")
            ])),
            want("LC_CTYPE", "fr_FR.UTF-8")
        );
        assert_eq!(
            locale_var(&env(&[("LC_ALL", "C"), ("LANG", "C.UTF-8")])),
            want("LC_ALL", "C")
        );
    }

    #[test]
    fn coerced_c_locale_boots() {
        assert_eq!(locale_var(&env(&[("LANG", "C")])), None);
        assert_eq!(locale_var(&env(&[("LC_CTYPE", "POSIX")])), None);
    }
}
