namespace Actors.TestingHost.Conformance;

/// <summary>A storage provider broke the contract a conformance scenario checks.</summary>
public sealed class ConformanceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConformanceException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
