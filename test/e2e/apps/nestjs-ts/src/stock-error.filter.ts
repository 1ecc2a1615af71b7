import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

export class StockUnavailableError extends Error {
  constructor(readonly sku: string, options?: { cause?: unknown }) {
    super(`no stock service for ${sku}`, options);
    this.name = 'StockUnavailableError';
  }
}

/** Answers a missing stock service with 502, the status the span must get. */
@Catch(StockUnavailableError)
export class StockErrorFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: StockUnavailableError, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    httpAdapter.reply(host.switchToHttp().getResponse(), { error: 'bad gateway', sku: error.sku }, 502);
  }
}

export class AuditError extends Error {}

/** A filter that fails itself: what it throws reaches the adapter, its cause the original error. */
@Catch(AuditError)
export class BrokenAuditFilter implements ExceptionFilter {
  catch(error: AuditError): void {
    throw new Error('audit filter failed', { cause: error });
  }
}
