namespace Actors.Orleans.Tests.Support;

/// <summary>How the test silos configure their storage.</summary>
public enum WalSiloMode
{
    /// <summary><c>AddWriteAheadLog</c> only, memory storage as the default: only [WriteAheadLog] classes are on the log.</summary>
    AttributeOnly,

    /// <summary>The write-ahead-log providers as the silo's defaults: every grain is on the log.</summary>
    Defaults,

    /// <summary>No <c>AddWriteAheadLog</c>, memory storage as the default: the misconfiguration [WriteAheadLog] must refuse.</summary>
    WithoutLog,
}
