namespace Actors.Orleans;

/// <summary>
/// The silo's log recorded, at earlier opens, write-ahead-log providers this silo does not configure now (a provider
/// renamed or removed, or grains moved between <c>[WriteAheadLog]</c> and the <c>...AsDefault</c> registrations): the
/// grains they stored would read as never written. The silo does not start. Configure those providers again, or name
/// them in <see cref="SiloLogOptions.RetiredProviders"/> to leave their data unread on purpose. The log records a
/// provider when it is configured at an open, whether or not it stored anything since.
/// </summary>
public sealed class UnconfiguredProviderDataException : WriteAheadLogProviderException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="directory">The log's directory.</param>
    /// <param name="unconfigured">The recorded stream prefixes that no configured provider owns.</param>
    /// <param name="configured">The stream prefixes of the providers this silo configures.</param>
    public UnconfiguredProviderDataException(string directory, IReadOnlyList<string> unconfigured, IReadOnlyList<string> configured)
        : base(
            $"The write-ahead log in '{directory}' recorded providers that this silo does not configure: {Describe(unconfigured)} " +
            $"(this silo's providers: {Describe(configured)}). A provider was renamed or removed, or a grain class moved between [WriteAheadLog] " +
            $"(provider 'WriteAheadLog') and the ...AsDefault registrations (provider 'Default'): the grains they stored would read as never written. " +
            $"Configure each such provider under its old name again, or add its name to SiloLogOptions.{nameof(SiloLogOptions.RetiredProviders)} to leave its data unread.",
            null)
    {
        ExceptionFacts.Set(this, nameof(Directory), directory);
        ExceptionFacts.Set(this, nameof(UnconfiguredPrefixes), string.Join('\n', unconfigured));
    }

    /// <summary>The log's directory.</summary>
    public string Directory => ExceptionFacts.String(this, nameof(Directory));

    /// <summary>The recorded stream prefixes (<c>s/{provider}/</c>, <c>j/{provider}/</c>) that no configured provider owns.</summary>
    public string[] UnconfiguredPrefixes => ExceptionFacts.String(this, nameof(UnconfiguredPrefixes)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string Describe(IReadOnlyList<string> prefixes) =>
        prefixes.Count == 0 ? "(none)" : string.Join(", ", prefixes.Select(p => $"provider '{Storage.GrainStreamNames.ProviderOf(p)}' (streams '{p}')"));
}
