// Torch's random generator and thread pool are process-wide: tests that seed or time it must not interleave.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
