package dev.surge.runtime.auth;

import dev.surge.runtime.config.SurgeConfig;
import dev.surge.runtime.http.BoundedBody;
import dev.surge.runtime.http.HttpProblem;
import dev.surge.runtime.http.ProblemResponse;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Guards the admin and status endpoints — {@code GET /brokers}, {@code /triggers[/...]}, {@code /functions[/...]}
 * and the synchronous {@code POST /functions/<namespace>/<function>} — with the admin policy
 * ({@code surge.admin.auth-file}; unset: this machine only), before any of their own handlers runs. Quarkus'
 * {@code /q/health} and {@code /q/metrics} stay open: probes and scrapers call them, and they change nothing.
 */
@ApplicationScoped
public class AdminRoutes {
    private static final Logger LOG = Logger.getLogger(AdminRoutes.class);
    /** Ahead of every route of the feature packages. */
    static final int ORDER = -1000;
    static final String PATH = "^/(brokers|triggers|functions)(/.*)?$";

    @Inject
    AccessControl access;
    @Inject
    SurgeConfig config;

    void routes(@Observes Router router) {
        router.routeWithRegex(PATH).order(ORDER).handler(this::guard);
    }

    private void guard(RoutingContext ctx) {
        if (config.admin().openReads() && ctx.request().method() == io.vertx.core.http.HttpMethod.GET) {
            ctx.next();
            return;
        }
        CompletableFuture<Access> decision = access.checkAdmin(ctx.request());
        if (decision.isDone()) {
            admit(ctx, decision.join());
            return;
        }
        Context context = Vertx.currentContext();
        decision.whenComplete((a, error) -> context.runOnContext(v -> {
            if (error != null) {
                LOG.errorf(error, "checking who may call %s failed", ctx.normalizedPath());
                ProblemResponse.send(ctx.response(), new HttpProblem(500, "Internal Server Error",
                        "the request could not be checked"), ctx.normalizedPath());
                return;
            }
            admit(ctx, a);
        }));
    }

    private void admit(RoutingContext ctx, Access a) {
        if (a instanceof Access.Denied denied) {
            BoundedBody.refuse(ctx, config.ingress().maxRequestBytes(),
                    () -> denied.send(ctx.response(), ctx.normalizedPath()));
            return;
        }
        ctx.next();
    }
}
