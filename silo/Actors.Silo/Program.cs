using Actors.Silo;

return await SiloApplication.RunAsync(args);
