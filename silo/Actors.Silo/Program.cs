using Actors.Silo;

if (SiloHealthProbe.IsRequested(args))
{
    return await SiloHealthProbe.RunAsync(args);
}

return await SiloApplication.RunAsync(args);
