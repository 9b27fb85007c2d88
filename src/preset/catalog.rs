//! The presets a user can name: built-in ones compiled into the binary, and user ones
//! from the config directory, which override built-ins of the same id.

use std::path::{Path, PathBuf};

use super::{Preset, PresetError};

/// The built-in preset files, as `(path in the repository, text)`.
const BUILTIN: [(&str, &str); 8] = [
    ("presets/hsr.toml", include_str!("../../presets/hsr.toml")),
    (
        "presets/hsr-achilles.toml",
        include_str!("../../presets/hsr-achilles.toml"),
    ),
    (
        "presets/isometric.toml",
        include_str!("../../presets/isometric.toml"),
    ),
    (
        "presets/alfredson.toml",
        include_str!("../../presets/alfredson.toml"),
    ),
    (
        "presets/decline-squat.toml",
        include_str!("../../presets/decline-squat.toml"),
    ),
    (
        "presets/calf-stretch.toml",
        include_str!("../../presets/calf-stretch.toml"),
    ),
    ("presets/pogo.toml", include_str!("../../presets/pogo.toml")),
    (
        "presets/cadence.toml",
        include_str!("../../presets/cadence.toml"),
    ),
];

/// The built-in preset files' paths and texts, for tests.
#[cfg(test)]
#[must_use]
pub fn builtin_sources() -> &'static [(&'static str, &'static str)] {
    &BUILTIN
}

/// Where a preset came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Builtin,
    /// A file in the user's preset directory.
    User(PathBuf),
    /// A file named on the command line.
    File(PathBuf),
}

/// Every preset a user can name by id.
#[derive(Debug, Default)]
pub struct Catalog {
    entries: Vec<(Preset, Origin)>,
}

impl Catalog {
    /// The built-in presets, then the user's from `user_dir` (if given), which replace
    /// built-ins of the same id. A broken user file does not hide the others: it comes
    /// back in the second list, to be reported with its path.
    ///
    /// # Panics
    /// If a built-in preset is invalid, which the test suite rules out.
    #[must_use]
    pub fn load(user_dir: Option<&Path>) -> (Catalog, Vec<PresetError>) {
        let mut entries: Vec<(Preset, Origin)> = BUILTIN
            .iter()
            .map(|(path, text)| {
                let preset = Preset::parse(text, Path::new(path))
                    .unwrap_or_else(|e| panic!("built-in preset is invalid: {e}"));
                (preset, Origin::Builtin)
            })
            .collect();
        let mut problems = Vec::new();
        for path in user_dir.map(user_files).unwrap_or_default() {
            match Preset::load(&path) {
                Ok(preset) => {
                    entries.retain(|(p, _)| p.id != preset.id);
                    entries.push((preset, Origin::User(path)));
                }
                Err(e) => problems.push(e),
            }
        }
        (Catalog { entries }, problems)
    }

    /// Drops the user preset with this id, putting back nothing: for a user preset found
    /// unusable after loading.
    pub fn remove(&mut self, id: &str) {
        self.entries.retain(|(p, _)| p.id != id);
    }

    /// The presets in listing order: built-in ones in their order, then user ones.
    pub fn iter(&self) -> impl Iterator<Item = &(Preset, Origin)> {
        self.entries.iter()
    }

    /// The preset with this id.
    ///
    /// # Errors
    /// [`PresetError::Unknown`] with the closest id as a suggestion.
    pub fn get(&self, id: &str) -> Result<(Preset, Origin), PresetError> {
        if let Some(found) = self.entries.iter().find(|(p, _)| p.id == id) {
            return Ok(found.clone());
        }
        let suggestion = self
            .entries
            .iter()
            .map(|(p, _)| (edit_distance(id, &p.id), &p.id))
            .filter(|(d, candidate)| *d <= 2.max(candidate.len() / 3))
            .min()
            .map(|(_, id)| id.clone());
        Err(PresetError::Unknown {
            id: id.to_owned(),
            suggestion,
        })
    }

    /// A preset named on the command line: a file path when it looks like one (has a
    /// `/` or ends in `.toml`) or exists, else an id.
    ///
    /// # Errors
    /// As [`Preset::load`] for a file, as [`Catalog::get`] for an id.
    pub fn resolve(&self, name: &str) -> Result<(Preset, Origin), PresetError> {
        let path = Path::new(name);
        let looks_like_file = name.contains(std::path::MAIN_SEPARATOR)
            || name.contains('/')
            || path.extension().is_some_and(|e| e == "toml");
        if looks_like_file || (path.is_file() && self.get(name).is_err()) {
            let preset = Preset::load(path)?;
            return Ok((preset, Origin::File(path.to_owned())));
        }
        self.get(name)
    }
}

/// The `*.toml` files of the user's preset directory, sorted; none when it is missing.
fn user_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
        .collect();
    files.sort();
    files
}

/// Levenshtein distance, for "did you mean".
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_preset_is_valid_and_named_after_its_file() {
        for (path, text) in BUILTIN {
            let preset = Preset::parse(text, Path::new(path)).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(format!("presets/{}.toml", preset.id), path);
        }
    }

    #[test]
    fn suggests_the_closest_id() {
        let (catalog, _) = Catalog::load(None);
        let err = catalog.get("hrs").unwrap_err();
        assert!(matches!(err, PresetError::Unknown { suggestion: Some(ref s), .. } if s == "hsr"));
        let err = catalog.get("isometrc").unwrap_err();
        assert!(
            matches!(err, PresetError::Unknown { suggestion: Some(ref s), .. } if s == "isometric")
        );
        let err = catalog.get("zzzzzzzzzz").unwrap_err();
        assert!(matches!(
            err,
            PresetError::Unknown {
                suggestion: None,
                ..
            }
        ));
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("hsr", "hsr"), 0);
        assert_eq!(edit_distance("hrs", "hsr"), 2);
        assert_eq!(edit_distance("", "pogo"), 4);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
