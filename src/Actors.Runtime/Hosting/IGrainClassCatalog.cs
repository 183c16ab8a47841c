namespace Actors.Hosting;

/// <summary>
/// The grain classes registered in this silo, for infrastructure that decides by class (for example implicit stream
/// subscriptions, which subscribe every grain of a class to a stream namespace). A singleton of every silo.
/// </summary>
public interface IGrainClassCatalog
{
    /// <summary>Every registered grain class, fixed once the silo's services are built.</summary>
    IReadOnlyCollection<GrainClassDescriptor> GrainClasses { get; }
}
