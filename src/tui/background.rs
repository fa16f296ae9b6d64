//! Work the app does ahead of need (every record's facet values, once the data is open) on
//! half the cores at a lower priority, so a search or a frame asked for meanwhile has the
//! other half to itself and the first call on the rest.

/// Runs `work` (and the parallel work it starts) on half the cores (at least one), on
/// threads of lower priority than the app's others; when such threads cannot be had, on the
/// calling thread, lowered the same way (so call it from a thread of its own).
pub fn run_low_priority<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads((cores / 2).max(1))
        .thread_name(|i| format!("musubi-background-{i}"))
        .start_handler(|_| lower_this_thread())
        .build();
    match pool {
        Ok(pool) => pool.install(work),
        Err(_) => {
            lower_this_thread();
            work()
        }
    }
}

/// The nice value background threads get, unless they are nicer already.
const BACKGROUND_NICE: i32 = 10;

/// Gives the calling thread a nice value of at least [`BACKGROUND_NICE`] (Linux nices
/// threads one by one) and, on Linux, the idle scheduling class: it runs only on a core
/// nothing else asks for, so a search typed meanwhile has every core (niced only, it still
/// took a tenth of one, and a search on both cores waited for the core it shared). Elsewhere,
/// or when refused, the thread stays as it was.
fn lower_this_thread() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid, getpriority, setpriority and sched_setscheduler only read their
    // arguments (a parameter that lives through the call); raising a thread's own nice value
    // and moving it to the idle class need no privilege, and failing leaves it unchanged.
    unsafe {
        let thread = libc::syscall(libc::SYS_gettid);
        if let Ok(thread) = libc::id_t::try_from(thread) {
            let now = libc::getpriority(libc::PRIO_PROCESS, thread);
            if now < BACKGROUND_NICE {
                libc::setpriority(libc::PRIO_PROCESS, thread, BACKGROUND_NICE);
            }
        }
        let idle = libc::sched_param { sched_priority: 0 };
        libc::sched_setscheduler(0, libc::SCHED_IDLE, &idle);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn low_priority_work_is_done_in_full_and_its_parallel_parts_too() {
        let total: u64 = run_low_priority(|| (1..=10_000u64).into_par_iter().sum());
        assert_eq!(total, 50_005_000);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_threads_it_runs_on_are_niced() {
        let nice = || {
            // SAFETY: getpriority reads the calling thread's nice value.
            unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }
        };
        let before = std::thread::spawn(nice).join().ok();
        let during = std::thread::spawn(move || run_low_priority(nice))
            .join()
            .ok();
        assert_eq!(
            during,
            before.map(|nice| nice.max(BACKGROUND_NICE)),
            "niced from {before:?}"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_threads_it_runs_on_are_in_the_idle_class_and_others_are_not() {
        let class = || {
            // SAFETY: sched_getscheduler reads the calling thread's scheduling class.
            unsafe { libc::sched_getscheduler(0) }
        };
        // Where a sandbox refuses the idle class to every thread, there is nothing to check.
        let allowed = std::thread::spawn(|| {
            let idle = libc::sched_param { sched_priority: 0 };
            // SAFETY: moves this short-lived thread to the idle class; reads `idle` only.
            unsafe { libc::sched_setscheduler(0, libc::SCHED_IDLE, &idle) == 0 }
        })
        .join()
        .unwrap_or(false);
        if !allowed {
            eprintln!("the idle scheduling class is refused here: not checked");
            return;
        }
        let before = std::thread::spawn(class).join().ok();
        let during = std::thread::spawn(move || run_low_priority(class))
            .join()
            .ok();
        assert_eq!(during, Some(libc::SCHED_IDLE));
        assert_ne!(before, Some(libc::SCHED_IDLE));
        // The parallel parts too.
        let classes: Vec<i32> = std::thread::spawn(move || {
            run_low_priority(|| (0..64).into_par_iter().map(|_| class()).collect())
        })
        .join()
        .unwrap_or_default();
        assert!(!classes.is_empty() && classes.iter().all(|c| *c == libc::SCHED_IDLE));
    }
}
