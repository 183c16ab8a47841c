namespace Actors.Orleans;

/// <summary>
/// The silo's log cannot serve the call: it is not open yet (the silo is starting), it closed (the silo is stopping),
/// it failed to open, or it failed (an I/O error); or, in a cluster, this silo does not lead the grain's partition. Nothing
/// was stored by the call that got it.
/// </summary>
public sealed class WriteAheadLogUnavailableException : WriteAheadLogProviderException
{
    /// <summary>Creates the exception.</summary>
    public WriteAheadLogUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception, saying whether the refusing silo deactivated the activation that made the call.</summary>
    /// <param name="message">What was refused, where, and why.</param>
    /// <param name="activationDeactivated">True when the activation that made the call was deactivated with the refusal
    /// (see <see cref="ActivationDeactivated"/>).</param>
    /// <param name="innerException">The cause, when there is one.</param>
    public WriteAheadLogUnavailableException(string message, bool activationDeactivated, Exception? innerException = null)
        : base(message, innerException)
    {
        ExceptionFacts.Set(this, nameof(ActivationDeactivated), activationDeactivated);
    }

    /// <summary>
    /// True when the refusing silo deactivated the activation that made the call, because that activation will never be
    /// served there (in a cluster: this silo does not lead the grain's partition). Retrying within that activation is then
    /// futile: the providers end the call with this error instead (a journaled grain's write or refresh is not retried),
    /// the activation finishes deactivating, and a retry of the call is placed again, on the partition's leader. False for
    /// a refusal that may pass within the same activation (a log not open yet, a row PostgreSQL could not read). Also
    /// <c>Data["ActivationDeactivated"]</c>.
    /// </summary>
    public bool ActivationDeactivated => ExceptionFacts.Boolean(this, nameof(ActivationDeactivated), absent: false);
}
