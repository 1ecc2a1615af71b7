import { BadRequestException, Body, type CanActivate, Controller, Get, Injectable, Param, ParseIntPipe, Post, UseFilters, UseGuards } from '@nestjs/common';
import { ItemsService } from './items.service.js';
import { AuditError, BrokenAuditFilter, StockErrorFilter, StockUnavailableError } from './stock-error.filter.js';

/** A guard that fails with an unexpected error: a server error, whoever throws it. */
@Injectable()
class BrokenGuard implements CanActivate {
  canActivate(): boolean {
    throw new Error('session store down', { cause: new Error('ECONNRESET') });
  }
}

@Controller({ version: '1' })
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  @Get('items/:id')
  async find(@Param('id') id: string) {
    return { id, stock: await this.items.stock(id) };
  }

  @Post('items')
  async create(@Body() body: unknown) {
    return { created: body, downstream: await this.items.create(body) };
  }

  @Get('pooled')
  async pooled() {
    return { downstream: await this.items.pooled() };
  }

  @Get('fail')
  fail(): never {
    throw new Error('order lookup failed', { cause: new TypeError('connection reset by stock service') });
  }

  @Get('invalid')
  invalid(): never {
    throw new BadRequestException('page out of range');
  }

  @Get('pages/:page')
  page(@Param('page', ParseIntPipe) page: number) {
    return { page };
  }

  @Get('guarded')
  @UseGuards(BrokenGuard)
  guarded() {
    return { never: true };
  }

  @Get('reserve/:sku')
  @UseFilters(StockErrorFilter)
  reserve(@Param('sku') sku: string): never {
    throw new StockUnavailableError(sku, { cause: new Error('warehouse offline') });
  }

  @Get('audit')
  @UseFilters(BrokenAuditFilter)
  audit(): never {
    throw new AuditError('audit trail missing');
  }
}
