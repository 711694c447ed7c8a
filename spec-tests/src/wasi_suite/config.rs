//! A test's `NAME.json`: its arguments, environment, root folder and expected results.

use std::path::Path;

use serde_json::Value;

/// The settings of one test; a missing file or field means the default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TestConfig {
    /// Arguments after the program name.
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    /// The folder, relative to the test's folder, preopened as the guest's `/`.
    pub root: Option<String>,
    pub exit_code: i32,
    /// Expected standard output and error, compared only when given.
    pub stdout: Option<String>,
    pub stderr: Option<String>,
}

fn string(v: &Value, what: &str) -> Result<String, String> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("`{what}` must be a string"))
}

impl TestConfig {
    /// Reads `wasm`'s settings from the `.json` beside it, if there is one.
    pub fn for_wasm(wasm: &Path) -> Result<TestConfig, String> {
        let json = wasm.with_extension("json");
        match std::fs::read_to_string(&json) {
            Ok(text) => TestConfig::parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(TestConfig::default()),
            Err(e) => Err(format!("cannot read {}: {e}", json.display())),
        }
    }

    pub fn parse(text: &str) -> Result<TestConfig, String> {
        let value: Value = serde_json::from_str(text).map_err(|e| format!("bad JSON: {e}"))?;
        let obj = value
            .as_object()
            .ok_or("the settings must be a JSON object")?;
        let mut config = TestConfig::default();
        for (key, v) in obj {
            match key.as_str() {
                "args" => {
                    let list = v.as_array().ok_or("`args` must be a list")?;
                    config.args = list
                        .iter()
                        .map(|a| string(a, "args"))
                        .collect::<Result<_, _>>()?;
                }
                "env" => {
                    let map = v.as_object().ok_or("`env` must be an object")?;
                    for (k, val) in map {
                        config.env.push((k.clone(), string(val, "env")?));
                    }
                }
                "root" => config.root = Some(string(v, "root")?),
                "exit_code" => {
                    let code = v.as_i64().ok_or("`exit_code` must be an integer")?;
                    config.exit_code =
                        i32::try_from(code).map_err(|_| "`exit_code` is out of range")?;
                }
                "stdout" => config.stdout = Some(string(v, "stdout")?),
                "stderr" => config.stderr = Some(string(v, "stderr")?),
                other => return Err(format!("unknown setting `{other}`")),
            }
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_setting() {
        let c = TestConfig::parse(
            r#"{"args": ["a", "b c"], "env": {"X": "1"}, "root": "fs-tests.dir",
                "exit_code": 33, "stdout": "hello", "stderr": ""}"#,
        )
        .unwrap();
        assert_eq!(c.args, ["a", "b c"]);
        assert_eq!(c.env, [("X".to_string(), "1".to_string())]);
        assert_eq!(c.root.as_deref(), Some("fs-tests.dir"));
        assert_eq!(c.exit_code, 33);
        assert_eq!(c.stdout.as_deref(), Some("hello"));
        assert_eq!(c.stderr.as_deref(), Some(""));
        assert_eq!(TestConfig::parse("{}").unwrap(), TestConfig::default());
        assert!(TestConfig::parse(r#"{"dirs": []}"#).is_err());
    }
}
