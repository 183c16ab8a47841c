namespace Actors.Runtime;

/// <summary>
/// Decides whether a request may start at an activation that is already running some: the interleaving rule of a
/// grain class, asked under the activation's gate. A request refused here waits; the queue is offered again when a
/// running request completes or a reentrant section opens.
/// </summary>
/// <remarks>
/// <para>Orleans's rules for a non-reentrant class (<see cref="Exclusive"/>), in order: a request starts when nothing
/// runs; when it is <c>[AlwaysInterleave]</c> (or a method-level <c>[Reentrant]</c>, or an interleaving timer tick);
/// when only always-interleaving requests run; when it is <c>[ReadOnly]</c> and only read-only requests run; when it
/// carries a call-chain reentrancy id whose section is open at the activation; when the class's
/// <c>[MayInterleave]</c> predicate accepts it or the request that is running. A <c>[Reentrant]</c> class admits
/// everything (<see cref="Interleaved"/>).</para>
/// <para>Unlike Orleans, which remembers one blocking request, the activation counts the running requests that block,
/// so a write never starts while a read-only request still runs.</para>
/// </remarks>
internal abstract class RequestAdmission
{
    /// <summary>Orleans's rules for a non-reentrant class (see the remarks).</summary>
    public static readonly RequestAdmission Exclusive = new ExclusiveAdmission();

    /// <summary>Every request starts at once (<see cref="Actors.Concurrency.ReentrantAttribute"/>): requests interleave at awaits, never in parallel.</summary>
    public static readonly RequestAdmission Interleaved = new InterleavedAdmission();

    /// <summary>Whether <paramref name="candidate"/> may start at <paramref name="activation"/> now (called under its gate).</summary>
    public abstract bool MayStart(GrainCall candidate, ActivationData activation);

    private sealed class ExclusiveAdmission : RequestAdmission
    {
        public override bool MayStart(GrainCall candidate, ActivationData activation)
        {
            if (activation.RunningLocked == 0 || candidate.AlwaysInterleave || activation.BlockingRunningLocked == 0)
            {
                return true;
            }

            if (candidate.IsReadOnly && activation.WritersRunningLocked == 0)
            {
                return true;
            }

            if (candidate.ReentrancyId != Guid.Empty && activation.IsReentrantSectionOpenLocked(candidate.ReentrancyId))
            {
                return true;
            }

            return candidate.ClassInfo.MayInterleave is { } predicate && activation.MayInterleaveLocked(predicate, candidate);
        }
    }

    private sealed class InterleavedAdmission : RequestAdmission
    {
        public override bool MayStart(GrainCall candidate, ActivationData activation) => true;
    }
}
