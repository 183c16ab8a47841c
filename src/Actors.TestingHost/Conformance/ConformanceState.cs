namespace Actors.TestingHost.Conformance;

/// <summary>The state type the grain storage conformance scenarios store.</summary>
public sealed class ConformanceState
{
    /// <summary>A number.</summary>
    public int Value { get; set; }

    /// <summary>A text.</summary>
    public string Text { get; set; } = "";
}
