//! `man`: the manual page, made from the same clap definitions as `--help`, so the two
//! never disagree.
//!
//! One page holds every command: `reptempo man` is the only thing that installs it, and a
//! page per command (`clap_mangen`'s `reptempo-start(1)`) would need a file each. The top
//! page is `clap_mangen`'s less its list of those pages; each visible command follows
//! under its own heading, its sections demoted to subsections.

use std::io::Write;
use std::process::ExitCode;

use clap_mangen::Man;

use super::{Error, emit};
use crate::cli::Cli;

/// Prints the manual page in roff to stdout.
pub fn man() -> Result<ExitCode, Error> {
    emit(&String::from_utf8_lossy(&page().map_err(Error::Output)?))?;
    Ok(ExitCode::SUCCESS)
}

fn page() -> std::io::Result<Vec<u8>> {
    let mut cli = <Cli as clap::CommandFactory>::command();
    cli.build();
    let top = Man::new(cli.clone());
    let mut out = Vec::new();
    top.render_title(&mut out)?;
    top.render_name_section(&mut out)?;
    top.render_synopsis_section(&mut out)?;
    top.render_description_section(&mut out)?;
    top.render_options_section(&mut out)?;
    for command in cli.get_subcommands().filter(|c| !c.is_hide_set()) {
        let name = format!("reptempo {}", command.get_name());
        writeln!(out, ".SH \"{}\"", name.to_uppercase())?;
        let man = Man::new(command.clone().bin_name(&name));
        let mut part = Vec::new();
        man.render_synopsis_section(&mut part)?;
        man.render_description_section(&mut part)?;
        if command.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut part)?;
        }
        let part = String::from_utf8_lossy(&part).replace("\n.SH ", "\n.SS ");
        out.extend_from_slice(demote_first(&part).as_bytes());
        if let Some(help) = command.get_after_help() {
            out.extend_from_slice(examples(&help.to_string()).as_bytes());
        }
    }
    top.render_version_section(&mut out)?;
    Ok(out)
}

/// The `Examples:` of `--help` as lines kept as they are: filled like prose, a command
/// and its comment run together.
fn examples(help: &str) -> String {
    let lines: Vec<String> = help
        .lines()
        .filter(|l| l.trim() != "Examples:")
        .map(|l| l.trim().replace('\\', "\\e").replace('-', "\\-"))
        .collect();
    format!(".SS EXAMPLES\n.nf\n{}\n.fi\n", lines.join("\n"))
}

/// `.SH` at the very start, which the replacements above cannot see, as `.SS`.
fn demote_first(part: &str) -> String {
    part.strip_prefix(".SH ")
        .map_or_else(|| part.to_owned(), |rest| format!(".SS {rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_has_every_command_with_its_options_and_examples() {
        let page = String::from_utf8(page().unwrap()).unwrap();
        assert!(page.starts_with(".ie") || page.starts_with(".TH"), "{page}");
        for heading in [
            "REPTEMPO START",
            "REPTEMPO RENDER",
            "REPTEMPO LOG",
            "REPTEMPO MAN",
        ] {
            assert!(page.contains(&format!(".SH \"{heading}\"")), "{heading}");
        }
        assert!(page.contains("\\-\\-csv\\-profile"), "{page}");
        assert!(page.contains(".SS EXAMPLES"), "{page}");
        assert!(
            !page.contains("reptempo\\-start(1)"),
            "a page that does not exist"
        );
        // Every section heading but the top page's own is a subsection.
        let sections = page.lines().filter(|l| l.starts_with(".SH ")).count();
        let commands = page
            .lines()
            .filter(|l| l.starts_with(".SH \"REPTEMPO "))
            .count();
        assert_eq!(
            sections - commands,
            5,
            "NAME SYNOPSIS DESCRIPTION OPTIONS VERSION"
        );
    }
}
