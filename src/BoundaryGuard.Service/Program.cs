using BoundaryGuard.Service.Hosting;

var builder = WebApplication.CreateBuilder(args);

// Fails closed: a deployment with a missing or contradictory setting never starts, so nothing listens half-configured.
var problems = ServiceSettings.Problems(builder.Configuration, builder.Environment);
if (problems.Count > 0)
{
    ServiceSettings.Refuse(problems, Console.Error);
    return 2;
}

builder.AddBoundaryGuard();

var app = builder.Build();
app.UseBoundaryGuard();
app.Run();
return 0;

// Visible to WebApplicationFactory<Program> in the tests.
public partial class Program;
