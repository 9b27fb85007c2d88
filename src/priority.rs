//! Real-time priority for the thread that waits for the next cue, where the system
//! permits it.
//!
//! Under load the loop's wait is accurate (the futex wakes in microseconds), but the
//! thread then waits in the run queue behind a busy process's time slice: cues came up
//! to 14 ms late with both cores busy. `SCHED_FIFO` at the lowest real-time priority puts
//! the waking thread ahead of every normal one. It costs nothing while waiting, and the
//! driver never spins, so it cannot freeze a core. Where it is not permitted (an
//! unprivileged user without an RTPRIO limit) the thread keeps its normal priority,
//! silently. Only the calling thread is raised: threads it starts afterwards would
//! inherit the policy, so callers start their helpers first. reptempo starts no process
//! while a session runs, so the policy cannot leak into a child.

use thread_priority::{
    RealtimeThreadSchedulePolicy, ThreadPriority, ThreadSchedulePolicy,
    get_current_thread_priority, thread_native_id, thread_schedule_policy,
};

/// The calling thread's scheduling before it was raised; dropping it puts it back.
pub struct Raised {
    policy: ThreadSchedulePolicy,
    priority: ThreadPriority,
}

/// Raises the calling thread to `SCHED_FIFO` at the lowest real-time priority, if
/// permitted; `None` when it was not (nothing changed).
#[must_use]
pub fn raise() -> Option<Raised> {
    let policy = thread_schedule_policy().ok()?;
    let priority = get_current_thread_priority().ok()?;
    thread_priority::set_thread_priority_and_policy(
        thread_native_id(),
        ThreadPriority::Min,
        ThreadSchedulePolicy::Realtime(RealtimeThreadSchedulePolicy::Fifo),
    )
    .ok()?;
    Some(Raised { policy, priority })
}

/// Whether the calling thread runs under a real-time policy.
#[cfg(test)]
#[must_use]
pub fn is_realtime() -> bool {
    matches!(
        thread_schedule_policy(),
        Ok(ThreadSchedulePolicy::Realtime(_))
    )
}

impl Drop for Raised {
    fn drop(&mut self) {
        let _ = thread_priority::set_thread_priority_and_policy(
            thread_native_id(),
            self.priority,
            self.policy,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raising_is_undone_on_drop_or_refused_without_change() {
        // Run on a thread of its own so the test runner's thread is never touched.
        std::thread::spawn(|| {
            assert!(!is_realtime());
            match raise() {
                Some(raised) => {
                    assert!(is_realtime());
                    drop(raised);
                    assert!(!is_realtime());
                }
                // Not permitted here: nothing changed.
                None => assert!(!is_realtime()),
            }
        })
        .join()
        .unwrap();
    }
}
