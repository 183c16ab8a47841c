namespace Actors.Benchmarks.Infrastructure;

/// <summary>One goal from issue #7 and what this run measured for it.</summary>
/// <param name="Goal">The goal as the issue states it.</param>
/// <param name="Measured">The measured figure and ratio.</param>
/// <param name="Verdict">met, missed (by how much), or not measured.</param>
internal sealed record GoalResult(string Goal, string Measured, string Verdict);
