//! Where the cues sound: nowhere (the bell stands in), a live stream that is also the
//! session's clock, or the benchmark's naive player.

use crate::audio::output::{Live, NaivePlayer};
use crate::audio::sounds::sound_for;
use crate::plan::{Cue, Plan};
use crate::session::{Command, Event, Session};
use crate::span::Span;

/// Where the cues sound.
pub enum Sound {
    /// Nowhere: visual cues and the terminal bell.
    Silent,
    /// A live stream, which is also the session's clock.
    Live(Live),
    /// The benchmark's baseline: each cue's sound started by its own call.
    Naive(NaivePlayer),
}

impl Sound {
    /// The live stream, while it plays.
    pub fn live(&mut self) -> Option<&mut Live> {
        match self {
            Sound::Live(live) if !live.is_lost() => Some(live),
            _ => None,
        }
    }

    /// Whether nothing sounds: no stream, or a lost one (then the bell stands in).
    #[must_use]
    pub fn is_silent(&self) -> bool {
        match self {
            Sound::Silent => true,
            Sound::Live(live) => live.is_lost(),
            Sound::Naive(_) => false,
        }
    }

    /// What a due cue asks of the sound: only the naive baseline plays it now; the
    /// live track has it placed already.
    pub fn cue(&self, plan: &Plan, cue: &Cue) {
        if let Sound::Naive(player) = self {
            player.play(sound_for(plan, cue, false));
        }
    }

    /// Applies `command` to the session: with live sound, at the clock reading of the
    /// next sample to render, moving the sound's anchor with the session's.
    pub fn apply(&mut self, session: &mut Session, command: Command, now: Span) -> Vec<Event> {
        match self.live() {
            Some(live) => live.at_next_sample(|at| {
                let events = session.command(command, at);
                (events, session.motion())
            }),
            None => session.command(command, now),
        }
    }

    /// The process is about to stop (`true`) or has been continued: a stream that was
    /// not pulled meanwhile is not lost.
    pub fn suspend(&mut self, stopping: bool) {
        if let Some(live) = self.live() {
            live.hold_watch(stopping);
        }
    }

    /// The device went away: close the stream (which ends cpal's error loop).
    pub fn lose(&mut self) {
        if let Sound::Live(live) = self {
            live.close();
        }
    }

    /// How long the last sound still needs to play out, if anything sounds.
    pub fn ring_out(&mut self) -> Option<Span> {
        match self {
            Sound::Naive(_) => Some(Span::from_secs(1)),
            sound => sound.live().map(|live| live.ring_out()),
        }
    }
}
