namespace Actors.Runtime;

/// <summary>
/// Decides whether a request may start at an activation that is already running some: the interleaving rule of a
/// grain class. The activation asks for the request at the head of its queue, under its gate; a request refused here
/// waits (in order) until a running request completes.
/// </summary>
/// <remarks>
/// The extension point for Orleans' scheduling attributes (<c>[AlwaysInterleave]</c>, <c>[ReadOnly]</c>,
/// <c>[MayInterleave]</c>, call-chain reentrancy): each is a rule over the candidate call and the activation's running
/// count. Implementations must be cheap, thread-safe and must not block or call into the activation.
/// </remarks>
internal abstract class RequestAdmission
{
    /// <summary>One request at a time: the next starts only when the running one's task has completed.</summary>
    public static readonly RequestAdmission Exclusive = new ExclusiveAdmission();

    /// <summary>Every request starts at once (<see cref="ReentrantAttribute"/>): requests interleave at awaits, never in parallel.</summary>
    public static readonly RequestAdmission Interleaved = new InterleavedAdmission();

    /// <summary>Whether <paramref name="candidate"/> may start while <paramref name="running"/> requests run.</summary>
    public abstract bool MayStart(GrainCall candidate, int running);

    private sealed class ExclusiveAdmission : RequestAdmission
    {
        public override bool MayStart(GrainCall candidate, int running) => running == 0 || candidate.AlwaysInterleave;
    }

    private sealed class InterleavedAdmission : RequestAdmission
    {
        public override bool MayStart(GrainCall candidate, int running) => true;
    }
}
