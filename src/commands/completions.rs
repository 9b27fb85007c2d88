//! `completions SHELL` and `presets --ids`: completion scripts that hide what `--help`
//! hides and complete preset ids, built-in and the user's, where a preset is named.

use std::fmt::Write as _;
use std::process::ExitCode;

use clap::{Command, CommandFactory};

use super::{Error, catalog, emit};
use crate::cli::Cli;

/// The subcommands whose first positional is a preset id or file.
const TAKES_PRESET: [&str; 5] = ["start", "show", "render", "handout", "next"];

/// `presets --ids`: one id a line, for the completion scripts to call.
pub(super) fn preset_ids() -> Result<ExitCode, Error> {
    let ids: String = catalog()
        .iter()
        .map(|(p, _)| crate::text::escape_cell(&p.id).into_owned() + "\n")
        .collect();
    emit(&ids)?;
    Ok(ExitCode::SUCCESS)
}

/// `cmd` without its hidden arguments and subcommands: `clap_complete`'s bash script
/// lists every argument, hidden or not, so they are left out before it sees them.
fn visible(cmd: &Command) -> Command {
    let mut out = Command::new(cmd.get_name().to_owned())
        .args(cmd.get_arguments().filter(|a| !a.is_hide_set()).cloned());
    if let Some(version) = cmd.get_version() {
        out = out.version(version.to_owned());
    }
    if let Some(about) = cmd.get_about() {
        out = out.about(about.clone());
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        out = out.subcommand(visible(sub));
    }
    out
}

/// The bash function that adds preset ids to `clap_complete`'s `_reptempo` when the word
/// being completed is the preset of one of [`TAKES_PRESET`]: the first word after the
/// subcommand that is neither an option nor an option's value.
fn bash_presets(cmd: &Command) -> String {
    let mut valued = std::collections::BTreeSet::new();
    for name in TAKES_PRESET {
        let Some(sub) = cmd.find_subcommand(name) else {
            continue;
        };
        for a in sub
            .get_arguments()
            .filter(|a| a.get_action().takes_values())
        {
            if let Some(long) = a.get_long() {
                valued.insert(format!("--{long}"));
            }
            if let Some(short) = a.get_short() {
                valued.insert(format!("-{short}"));
            }
        }
    }
    let valued: Vec<String> = valued.into_iter().collect();
    let mut out = String::new();
    let _ = write!(
        out,
        r#"
# Preset ids (built-in and the user's) where a preset is named.
_reptempo_with_presets() {{
    _reptempo "$@"
    local cur="${{COMP_WORDS[COMP_CWORD]}}" i sub=0
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${{COMP_WORDS[i]}}" in
            {subs}) sub=$i; break ;;
            -*) ;;
            *) return 0 ;;
        esac
    done
    [[ $sub -eq 0 || $cur == -* ]] && return 0
    for ((i = sub + 1; i < COMP_CWORD; i++)); do
        case "${{COMP_WORDS[i]}}" in
            {valued}) ((++i >= COMP_CWORD)) && return 0 ;;
            -*) ;;
            *) return 0 ;;
        esac
    done
    local ids
    ids=$(command reptempo presets --ids 2>/dev/null)
    COMPREPLY+=($(compgen -W "$ids" -- "$cur"))
}}
complete -F _reptempo_with_presets -o nosort -o bashdefault -o default reptempo
"#,
        subs = TAKES_PRESET.join("|"),
        valued = valued.join("|"),
    );
    out
}

fn fish_presets() -> String {
    format!(
        "\n# Preset ids (built-in and the user's) where a preset is named.\ncomplete -c reptempo -n '__fish_seen_subcommand_from {}' -a '(reptempo presets --ids 2>/dev/null)'\n",
        TAKES_PRESET.join(" ")
    )
}

/// `completions SHELL`: the script.
pub(super) fn completions(shell: clap_complete::Shell) -> Result<ExitCode, Error> {
    let mut cmd = visible(&Cli::command());
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "reptempo", &mut buf);
    let mut script = String::from_utf8_lossy(&buf).into_owned();
    match shell {
        clap_complete::Shell::Bash => script.push_str(&bash_presets(&cmd)),
        clap_complete::Shell::Fish => script.push_str(&fish_presets()),
        _ => {}
    }
    emit(&script)?;
    Ok(ExitCode::SUCCESS)
}
