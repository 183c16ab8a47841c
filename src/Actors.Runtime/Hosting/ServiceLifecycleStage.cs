namespace Actors;

/// <summary>
/// The stages of a silo's start (Orleans' values). Startup tasks run in ascending stage order, in registration order
/// within a stage; every stage runs after the silo has started (see <c>AddStartupTask</c>).
/// </summary>
public static class ServiceLifecycleStage
{
    /// <summary>The first stage.</summary>
    public const int First = int.MinValue;

    /// <summary>Runtime initialization.</summary>
    public const int RuntimeInitialize = 2_000;

    /// <summary>Runtime services.</summary>
    public const int RuntimeServices = 4_000;

    /// <summary>Storage services.</summary>
    public const int RuntimeStorageServices = 6_000;

    /// <summary>Grain services (reminders).</summary>
    public const int RuntimeGrainServices = 8_000;

    /// <summary>Application services.</summary>
    public const int ApplicationServices = 10_000;

    /// <summary>Just before the silo becomes active.</summary>
    public const int BecomeActive = Active - 1;

    /// <summary>The silo is active: the default stage of a startup task.</summary>
    public const int Active = 20_000;

    /// <summary>The last stage.</summary>
    public const int Last = int.MaxValue;
}
