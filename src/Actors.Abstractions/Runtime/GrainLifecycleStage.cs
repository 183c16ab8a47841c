namespace Actors.Runtime;

/// <summary>Well-known stages of an activation's <see cref="IGrainLifecycle"/> (Orleans' values).</summary>
public static class GrainLifecycleStage
{
    /// <summary>The first stage.</summary>
    public const int First = int.MinValue;

    /// <summary>Loading runtime-managed state: persistent states and journals.</summary>
    public const int SetupState = 1_000;

    /// <summary>The grain's <see cref="Grain.OnActivateAsync"/>; state is loaded.</summary>
    public const int Activate = 2_000;

    /// <summary>The last stage.</summary>
    public const int Last = int.MaxValue;
}
