//! Exercise names for `--voice`: the built-in exercises' recorded names, and for any
//! other name `espeak-ng` when it is installed at run time, else "exercise one" and one
//! notice saying why. The synthesiser is a small trait so that tests choose it.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use super::sounds::{Clip, recorded_name};
use super::voice::number_words;
use crate::plan::Plan;

/// Why a name could not be synthesised.
#[derive(Debug, thiserror::Error)]
pub enum SpeakError {
    #[error("cannot run espeak-ng")]
    Run(#[source] std::io::Error),
    #[error("espeak-ng failed ({0})")]
    Failed(std::process::ExitStatus),
    #[error("cannot read espeak-ng's sound")]
    Read(#[source] hound::Error),
    #[error("espeak-ng said nothing")]
    Silent,
}

/// Something that turns text into speech.
pub trait Speaker {
    /// `text` spoken, at the clip's own rate.
    ///
    /// # Errors
    /// A [`SpeakError`] when nothing usable comes out.
    fn speak(&self, text: &str) -> Result<Clip, SpeakError>;
}

/// `espeak-ng`, run once for each name into a temporary WAV file.
#[derive(Clone, Debug)]
pub struct Espeak {
    program: PathBuf,
}

impl Espeak {
    /// `espeak-ng` in a directory of `path` (the value of `PATH`), if there is one.
    #[must_use]
    pub fn find(path: Option<&OsStr>) -> Option<Espeak> {
        std::env::split_paths(path?)
            .map(|dir| dir.join("espeak-ng"))
            .find(|p| p.is_file())
            .map(|program| Espeak { program })
    }
}

impl Speaker for Espeak {
    fn speak(&self, text: &str) -> Result<Clip, SpeakError> {
        let file = tempfile::Builder::new()
            .prefix("reptempo-name-")
            .suffix(".wav")
            .tempfile()
            .map_err(SpeakError::Run)?;
        // The voice and speed of the recorded words (sounds/make.py); the text goes in
        // on stdin, so a name that starts with "-" is not taken for an option.
        let mut child = Command::new(&self.program)
            .args(["-v", "en-us", "-s", "165", "--stdin", "-w"])
            .arg(file.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(SpeakError::Run)?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(text.as_bytes()).map_err(SpeakError::Run)?;
        }
        let status = child.wait().map_err(SpeakError::Run)?;
        if !status.success() {
            return Err(SpeakError::Failed(status));
        }
        let bytes = std::fs::read(file.path()).map_err(SpeakError::Run)?;
        let clip = Clip::from_wav(&bytes).map_err(SpeakError::Read)?;
        shape(&clip).ok_or(SpeakError::Silent)
    }
}

/// A synthesised clip shaped as `sounds/make.py` shapes the recorded words: cut to
/// where it is audible, peak at -4 dBFS, a 1 ms fade-in that starts above zero (the
/// first sample is the onset) and a 5 ms fade to exact zero.
#[allow(
    clippy::cast_precision_loss,
    reason = "fade lengths are a few hundred samples"
)]
fn shape(clip: &Clip) -> Option<Clip> {
    let audible = |x: &f32| x.abs() >= 0.01;
    let start = clip.samples.iter().position(audible)?;
    let end = clip.samples.iter().rposition(audible)? + 1;
    let mut samples = clip.samples[start..end].to_vec();
    let peak = samples.iter().fold(0.0_f32, |m, x| m.max(x.abs()));
    let gain = 0.63 / peak;
    let n = samples.len();
    let (fade_in, fade_out) = ((clip.rate / 1000) as usize, (5 * clip.rate / 1000) as usize);
    for (i, x) in samples.iter_mut().enumerate() {
        let mut g = gain;
        if i < fade_in {
            g *= (i + 1) as f32 / fade_in as f32;
        }
        if i + fade_out >= n {
            g *= (n - 1 - i) as f32 / fade_out as f32;
        }
        *x *= g;
    }
    Some(Clip {
        rate: clip.rate,
        samples,
    })
}

/// The spoken name of each of `plan`'s blocks (`None`: said as "exercise" and its
/// number), and one notice when a name has no voice.
#[must_use]
pub fn names(plan: &Plan, speaker: Option<&dyn Speaker>) -> (Vec<Option<Clip>>, Option<String>) {
    let mut spoken: HashMap<&str, Option<Clip>> = HashMap::new();
    let mut problem: Option<String> = None;
    let mut unnamed = Vec::new();
    let clips = plan
        .blocks
        .iter()
        .enumerate()
        .map(|(i, block)| {
            let name = block.exercise.as_str();
            let clip = spoken
                .entry(name)
                .or_insert_with(|| {
                    recorded_name(name).or_else(|| match speaker {
                        None => {
                            problem.get_or_insert_with(|| "espeak-ng is not installed".into());
                            None
                        }
                        Some(s) => s
                            .speak(name)
                            .map_err(|e| {
                                problem.get_or_insert_with(|| format!("{:#}", Chain(&e)));
                            })
                            .ok(),
                    })
                })
                .clone();
            if clip.is_none() {
                unnamed.push(format!(
                    "\"{}\" as \"{}\"",
                    crate::text::escape(name),
                    super::voice::text(
                        &[
                            vec![super::sounds::Sound::Word(super::sounds::Word::Exercise)],
                            number_words(u16::try_from(i + 1).unwrap_or(999)),
                        ]
                        .concat()
                    )
                ));
            }
            clip
        })
        .collect();
    let notice = problem.map(|why| {
        format!(
            "voice: {}, so {} {}",
            crate::text::escape(&why),
            unnamed.join(", "),
            if unnamed.len() == 1 {
                "is announced"
            } else {
                "are announced"
            }
        )
    });
    (clips, notice)
}

/// [`names`] with `espeak-ng` looked up on this process's `PATH`: what `start` and
/// `render` use.
#[must_use]
pub fn names_for_run(plan: &Plan) -> (Vec<Option<Clip>>, Option<String>) {
    let espeak = Espeak::find(std::env::var_os("PATH").as_deref());
    names(plan, espeak.as_ref().map(|e| e as &dyn Speaker))
}

/// An error and its sources on one line.
struct Chain<'a>(&'a dyn std::error::Error);

impl std::fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(e) = source {
            write!(f, ": {e}")?;
            source = e.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::path::Path;

    use super::*;
    use crate::plan::Overrides;
    use crate::preset::Preset;

    fn plan(exercises: &[&str]) -> Plan {
        let blocks = exercises
            .iter()
            .map(|e| format!("[[block]]\nexercise = \"{e}\"\nhold = \"5s\"\nsets = 1\n"))
            .collect::<Vec<_>>()
            .concat();
        let text =
            format!("id = \"t\"\nname = \"T\"\ndescription = \"d\"\nsource = \"S\"\n{blocks}");
        Plan::build(
            &Preset::parse(&text, Path::new("t.toml")).unwrap(),
            &Overrides::default(),
        )
        .unwrap()
    }

    /// Says every name as a second of a constant, and counts the calls.
    struct Fake(Cell<usize>);

    impl Speaker for Fake {
        fn speak(&self, _: &str) -> Result<Clip, SpeakError> {
            self.0.set(self.0.get() + 1);
            Ok(Clip {
                rate: 8000,
                samples: vec![0.1; 8000],
            })
        }
    }

    #[test]
    fn built_in_names_are_recorded_and_others_synthesised_once_each() {
        let p = plan(&["Leg press", "Nordic curl", "Nordic curl"]);
        let fake = Fake(Cell::new(0));
        let (clips, notice) = names(&p, Some(&fake));
        assert_eq!(notice, None);
        assert_eq!(fake.0.get(), 1);
        assert_eq!(clips[0].as_ref().unwrap().rate, 16_000);
        assert_eq!(clips[1].as_ref().unwrap().rate, 8000);
        assert_eq!(clips[1], clips[2]);
    }

    #[test]
    fn without_espeak_a_name_is_its_number_with_one_notice() {
        // (A preset cannot name an exercise with a control character; the notice
        // escapes the name all the same, as it does every text from a file.)
        let p = plan(&["Leg press", "Nordic curl", "Step-up"]);
        let (clips, notice) = names(&p, None);
        assert!(clips[0].is_some() && clips[1].is_none() && clips[2].is_none());
        let notice = notice.unwrap();
        assert_eq!(
            notice,
            "voice: espeak-ng is not installed, so \"Nordic curl\" as \"exercise two\", \
             \"Step-up\" as \"exercise three\" are announced"
        );
    }

    #[test]
    fn shaping_cuts_silence_and_fades() {
        let mut samples = vec![0.0; 100];
        samples.extend(vec![0.5; 1000]);
        samples.extend(vec![0.0; 100]);
        let clip = shape(&Clip {
            rate: 16_000,
            samples,
        })
        .unwrap();
        assert_eq!(clip.samples.len(), 1000);
        assert!(clip.samples[0] > 0.0);
        assert!(clip.samples[999].abs() < f32::EPSILON);
        assert!((clip.samples[500] - 0.63).abs() < 1e-6);
        assert!(
            shape(&Clip {
                rate: 16_000,
                samples: vec![0.0; 10]
            })
            .is_none()
        );
    }

    #[test]
    fn espeak_is_found_on_the_path_or_not() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Espeak::find(Some(dir.path().as_os_str())).is_none());
        assert!(Espeak::find(None).is_none());
        std::fs::write(dir.path().join("espeak-ng"), "").unwrap();
        assert!(Espeak::find(Some(dir.path().as_os_str())).is_some());
    }

    /// The real synthesiser, where it is installed (CI installs it; without it the test
    /// says so and checks nothing more).
    #[test]
    fn espeak_ng_says_a_name_when_installed() {
        let Some(espeak) = Espeak::find(std::env::var_os("PATH").as_deref()) else {
            eprintln!("SKIPPED: espeak-ng is not installed");
            return;
        };
        let clip = espeak.speak("Nordic curl").unwrap();
        assert!(clip.samples.len() > clip.rate as usize / 4);
        assert!(clip.samples[0] != 0.0);
    }
}
